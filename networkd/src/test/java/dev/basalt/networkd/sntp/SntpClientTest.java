package dev.basalt.networkd.sntp;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SntpClientTest {
    private static final InetSocketAddress SERVER = InetSocketAddress.createUnresolved("ntp.test", 123);
    private static final Instant T1 = Instant.parse("2026-03-01T12:00:00Z");

    private static byte[] reply(long nonce, Instant t2, Instant t3, int stratum, int leap) {
        return new NtpPacket(leap, 4, NtpPacket.MODE_SERVER, stratum, 6, -20, 0, 0, 0, 0, nonce,
                NtpTimestamp.fromInstant(t2), NtpTimestamp.fromInstant(t3)).encode();
    }

    @Test
    void computesOffsetAndDelayFromTheFourTimestamps() {
        // Server 1.5 s ahead; 20 ms each way; 1 ms processing.
        Instant t2 = T1.plusMillis(1500 + 20);
        Instant t3 = t2.plusMillis(1);
        Instant t4 = T1.plusMillis(41);
        long nonce = NtpTimestamp.fromInstant(T1) ^ 0x1234;

        SntpMeasurement m = SntpClient.evaluate(SERVER, reply(nonce, t2, t3, 2, 0), nonce, T1, t4).orElseThrow();

        // NTP fractions are 2^-32 s: allow the nanosecond lost to truncation.
        assertThat(m.offset().minusMillis(1500).abs()).isLessThanOrEqualTo(Duration.ofNanos(2));
        assertThat(m.delay().minusMillis(40).abs()).isLessThanOrEqualTo(Duration.ofNanos(2));
        assertThat(m.stratum()).isEqualTo(2);
    }

    @Test
    void rejectsRepliesThatDoNotEchoOurNonceOrAreUnsynchronisedOrKissOfDeath() {
        long nonce = 42;
        assertThat(SntpClient.evaluate(SERVER, reply(43, T1, T1, 2, 0), nonce, T1, T1)).isEmpty();
        assertThat(SntpClient.evaluate(SERVER, reply(nonce, T1, T1, 2, 3), nonce, T1, T1)).isEmpty();
        assertThat(SntpClient.evaluate(SERVER, reply(nonce, T1, T1, 0, 0), nonce, T1, T1)).isEmpty();
        assertThat(SntpClient.evaluate(SERVER, new byte[47], nonce, T1, T1)).isEmpty();
    }

    @Property
    void ntpTimestampsRoundTripToTheNanosecondWithinTheirResolution(@ForAll @LongRange(min = 0, max = 4_000_000_000L) long seconds,
                                                                  @ForAll @LongRange(min = 0, max = 999_999_999) long nanos) {
        Instant t = Instant.ofEpochSecond(seconds, nanos);
        Instant back = NtpTimestamp.toInstant(NtpTimestamp.fromInstant(t));
        assertThat(Duration.between(back, t).abs()).isLessThanOrEqualTo(Duration.ofNanos(1));
    }

    @Property
    void ntpPacketsRoundTrip(@ForAll @Size(min = 48, max = 48) byte[] raw) {
        assertThat(NtpPacket.decode(NtpPacket.decode(raw).encode()).encode()).isEqualTo(raw);
    }

    @Test
    void timeSyncStepsLargeOffsetsAndSlewsSmallOnes() throws IOException {
        List<String> actions = new ArrayList<>();
        SystemClock clock = new SystemClock() {
            @Override
            public Instant now() {
                return T1;
            }

            @Override
            public void step(Duration offset) {
                actions.add("step " + offset);
            }

            @Override
            public void slew(Duration offset) {
                actions.add("slew " + offset);
            }
        };
        Duration[] offset = {Duration.ofSeconds(5)};
        TimeSync big = new TimeSync(fixed(offset), clock, List.of(SERVER), true);
        assertThat(big.syncOnce()).isInstanceOf(TimeSync.Outcome.Stepped.class);
        offset[0] = Duration.ofMillis(-20);
        assertThat(big.syncOnce()).isInstanceOf(TimeSync.Outcome.Slewed.class);
        assertThat(new TimeSync(fixed(offset), clock, List.of(SERVER), false).syncOnce()).isInstanceOf(TimeSync.Outcome.Measured.class);
        assertThat(actions).containsExactly("step PT5S", "slew PT-0.02S");
    }

    private static TimeSync.Query fixed(Duration[] offset) {
        return (server, timeout) -> Optional.of(new SntpMeasurement(server, offset[0], Duration.ofMillis(3), 2));
    }
}
