package dev.basalt.machined.api;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * One record of the kernel log as /dev/kmsg hands it out: {@code prio,seq,usec,flags[,...];text}, followed
 * by optional continuation lines starting with a space (Documentation/ABI/testing/dev-kmsg).
 *
 * @param facility syslog facility (prio / 8)
 * @param level    syslog level (prio % 8)
 * @param sequence record sequence number
 * @param micros   microseconds since boot
 * @param message  the text, with kmsg's {@code \xNN} escapes left as the kernel wrote them
 */
public record KmsgRecord(int facility, int level, long sequence, long micros, String message) {
    private static final String[] FACILITIES = {"kern", "user", "mail", "daemon", "auth", "syslog", "lpr",
            "news", "uucp", "cron", "authpriv", "ftp", "", "", "", "", "local0", "local1", "local2", "local3",
            "local4", "local5", "local6", "local7"};
    private static final String[] LEVELS = {"emerg", "alert", "crit", "err", "warning", "notice", "info",
            "debug"};
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** Parses one read(2) of /dev/kmsg; empty when the header is not of the documented shape. */
    public static Optional<KmsgRecord> parse(String raw) {
        int semi = raw.indexOf(';');
        if (semi < 0) {
            return Optional.empty();
        }
        String[] header = raw.substring(0, semi).split(",");
        if (header.length < 3) {
            return Optional.empty();
        }
        try {
            int prio = Integer.parseInt(header[0]);
            long seq = Long.parseLong(header[1]);
            long usec = Long.parseLong(header[2]);
            String body = raw.substring(semi + 1);
            int newline = body.indexOf('\n');
            String message = newline < 0 ? body : body.substring(0, newline);
            return Optional.of(new KmsgRecord(prio >> 3, prio & 7, seq, usec, message));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The line the Dmesg API streams: {@code facility: level: [timestamp]: message}. */
    public String format(long bootEpochSeconds) {
        String fac = facility < FACILITIES.length && !FACILITIES[facility].isEmpty() ? FACILITIES[facility]
                : Integer.toString(facility);
        Instant at = Instant.ofEpochSecond(bootEpochSeconds).plusNanos(micros * 1000);
        return String.format("%7s: %7s: [%s]: %s", fac, LEVELS[level], STAMP.format(at), message);
    }
}
