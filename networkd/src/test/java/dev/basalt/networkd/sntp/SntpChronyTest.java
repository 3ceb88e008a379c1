package dev.basalt.networkd.sntp;

import dev.basalt.networkd.testing.Eventually;
import dev.basalt.networkd.testing.Processes;
import dev.basalt.networkd.testing.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SNTP client against chronyd serving in another namespace across a veth pair. Both namespaces share the host's
 * clock, so the true offset is zero; the test compares our measurement with chrony's own client measurement
 * ({@code chronyd -Q}) taken the same way.
 */
@Tag("integration")
class SntpChronyTest {
    @TempDir
    Path dir;
    private TestNamespace server;
    private TestNamespace client;
    private Process chronyd;

    @BeforeEach
    void setUp() throws Exception {
        server = TestNamespace.create("ntps");
        client = TestNamespace.create("ntpc");
        client.ip("link", "add", "nt0", "type", "veth", "peer", "name", "nt1", "netns", server.name());
        server.ip("addr", "add", "10.78.0.1/24", "dev", "nt1");
        server.ip("link", "set", "nt1", "up");
        client.ip("addr", "add", "10.78.0.2/24", "dev", "nt0");
        client.ip("link", "set", "nt0", "up");
        Path conf = dir.resolve("chrony.conf");
        Files.writeString(conf, "allow\nlocal stratum 8\npidfile " + dir.resolve("chronyd.pid") + "\ndriftfile "
                + dir.resolve("drift") + "\ncmdport 0\n");
        // -x: serve time without touching the host's clock; -d: stay in the foreground; -U: run as root.
        chronyd = Processes.start(server.name(), dir.resolve("chronyd.log"), "chronyd", "-f", conf.toString(), "-d", "-x", "-U");
    }

    @AfterEach
    void tearDown() {
        Processes.stop(chronyd);
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Timeout(60)
    void measuresTheSameOffsetAsChrony() throws Exception {
        SystemClock readOnly = new SystemClock() {
            @Override
            public Instant now() {
                return Instant.now();
            }

            @Override
            public void step(Duration offset) {
                throw new AssertionError("the test must not step the host clock");
            }

            @Override
            public void slew(Duration offset) {
                throw new AssertionError("the test must not slew the host clock");
            }
        };
        SntpClient sntp = new SntpClient(() -> client.thread().call(DatagramChannel::open), readOnly, RandomGenerator.getDefault());
        InetSocketAddress ntp = new InetSocketAddress("10.78.0.1", 123);
        AtomicReference<SntpMeasurement> ours = new AtomicReference<>();
        Eventually.within(Duration.ofSeconds(20), "a synchronised answer from chronyd", () -> {
            try {
                sntp.query(ntp, Duration.ofSeconds(1)).ifPresent(ours::set);
            } catch (IOException e) {
                return false;
            }
            return ours.get() != null;
        });

        // The first exchange warms up the JVM; a round of TimeSync keeps the sample with the shortest round trip.
        TimeSync.Outcome outcome = new TimeSync(sntp, readOnly, List.of(ntp), false).syncOnce();
        assertThat(outcome).isInstanceOf(TimeSync.Outcome.Measured.class);
        ours.set(((TimeSync.Outcome.Measured) outcome).best());

        String chrony = Processes.runCombined("ip", "netns", "exec", client.name(), "timeout", "20", "chronyd", "-Q", "-f", "/dev/null", "-U", "-t", "15",
                "server 10.78.0.1 iburst maxsamples 4");
        Matcher m = Pattern.compile("System clock wrong by (-?[0-9.]+) seconds").matcher(chrony);
        assertThat(m.find()).as("chronyd -Q output: %s", chrony).isTrue();
        double chronyOffsetSeconds = Double.parseDouble(m.group(1));
        double oursSeconds = ours.get().offset().toNanos() / 1e9;
        System.out.printf("SNTP offset %.6f s (delay %.6f s, stratum %d); chrony's view %.6f s%n", oursSeconds,
                ours.get().delay().toNanos() / 1e9, ours.get().stratum(), chronyOffsetSeconds);

        assertThat(ours.get().stratum()).isEqualTo(8); // "local stratum 8"
        assertThat(Math.abs(oursSeconds - chronyOffsetSeconds)).isLessThan(0.010);
        assertThat(Math.abs(oursSeconds)).isLessThan(0.010);
    }

    @Test
    @Timeout(30)
    void reportsUnreachableWhenNothingAnswers() throws Exception {
        SntpClient sntp = new SntpClient(() -> client.thread().call(DatagramChannel::open), new LinuxClockReader(), RandomGenerator.getDefault());
        TimeSync.Outcome outcome = new TimeSync(sntp, new LinuxClockReader(), List.of(new InetSocketAddress("10.78.0.9", 123)), true).syncOnce();
        assertThat(outcome).isInstanceOf(TimeSync.Outcome.Unreachable.class);
    }

    /** Reads the real clock; refuses to change it. */
    private static final class LinuxClockReader implements SystemClock {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void step(Duration offset) {
            throw new AssertionError("no server answered, so nothing may be stepped");
        }

        @Override
        public void slew(Duration offset) {
            throw new AssertionError("no server answered, so nothing may be slewed");
        }
    }
}
