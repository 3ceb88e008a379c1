package dev.basalt.networkd.sntp;

import java.time.Instant;

/**
 * Conversions between {@link Instant} and the 64-bit NTP timestamp (RFC 4330 §3: seconds since 1900-01-01 in the
 * high 32 bits, binary fraction in the low 32). Era 0 only, which covers 1900..2036; values with the top bit clear
 * are read as era 1 (2036..2104), the RFC 4330 §3 convention.
 */
public final class NtpTimestamp {
    /** Seconds from 1900-01-01 to 1970-01-01. */
    static final long UNIX_OFFSET = 2_208_988_800L;

    private NtpTimestamp() {
    }

    public static long fromInstant(Instant t) {
        long seconds = t.getEpochSecond() + UNIX_OFFSET;
        long fraction = ((long) t.getNano() << 32) / 1_000_000_000L;
        return (seconds << 32) | (fraction & 0xffffffffL);
    }

    public static Instant toInstant(long ntp) {
        long seconds = ntp >>> 32;
        if ((seconds & 0x80000000L) == 0) {
            seconds += 1L << 32; // era 1, after 2036-02-07
        }
        long fraction = ntp & 0xffffffffL;
        long nanos = (fraction * 1_000_000_000L) >>> 32;
        return Instant.ofEpochSecond(seconds - UNIX_OFFSET, nanos);
    }
}
