package dev.basalt.networkd.sntp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the system clock in step with configured SNTP servers: measures each, trusts the answer with the shortest
 * round trip, and when enabled steps the clock for a large offset or slews it for a small one.
 *
 * <p>{@link #syncOnce()} is one round; machined calls it from its time-sync loop. Thread-safe (no mutable state).
 */
public final class TimeSync {
    /** Offsets larger than this are stepped; smaller ones slewed (chrony's makestep default uses 1 s). */
    public static final Duration STEP_THRESHOLD = Duration.ofMillis(128);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);
    /**
     * Exchanges per server per round. The one with the shortest round trip has the least queueing asymmetry, so
     * its offset is the most trustworthy (the same filtering idea as NTP's clock filter, RFC 5905 §10).
     */
    public static final int SAMPLES_PER_SERVER = 4;

    /** What one round did. */
    public sealed interface Outcome {
        /** Measured but left the clock alone (adjusting disabled). */
        record Measured(SntpMeasurement best) implements Outcome {
        }

        record Stepped(SntpMeasurement best) implements Outcome {
        }

        record Slewed(SntpMeasurement best) implements Outcome {
        }

        /** No server answered. */
        record Unreachable(List<InetSocketAddress> servers) implements Outcome {
        }
    }

    /** One SNTP exchange with a server; {@link SntpClient} is the implementation. */
    @FunctionalInterface
    public interface Query {
        /** Empty when no valid reply arrives within {@code timeout}. */
        Optional<SntpMeasurement> query(InetSocketAddress server, Duration timeout) throws IOException;
    }

    private final Query client;
    private final SystemClock clock;
    private final List<InetSocketAddress> servers;
    private final boolean adjustClock;

    public TimeSync(Query client, SystemClock clock, List<InetSocketAddress> servers, boolean adjustClock) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("time sync needs at least one server");
        }
        this.client = client;
        this.clock = clock;
        this.servers = List.copyOf(servers);
        this.adjustClock = adjustClock;
    }

    public Outcome syncOnce() throws IOException {
        List<SntpMeasurement> measured = new ArrayList<>();
        for (InetSocketAddress s : servers) {
            for (int i = 0; i < SAMPLES_PER_SERVER; i++) {
                try {
                    Optional<SntpMeasurement> m = client.query(s, QUERY_TIMEOUT);
                    if (m.isEmpty()) {
                        break; // silent server: do not wait for it again this round
                    }
                    measured.add(m.get());
                } catch (IOException e) {
                    break; // an unreachable server is just one fewer answer
                }
            }
        }
        Optional<SntpMeasurement> best = measured.stream().min(Comparator.comparing(SntpMeasurement::delay));
        if (best.isEmpty()) {
            return new Outcome.Unreachable(servers);
        }
        SntpMeasurement m = best.get();
        if (!adjustClock) {
            return new Outcome.Measured(m);
        }
        if (m.offset().abs().compareTo(STEP_THRESHOLD) > 0) {
            clock.step(m.offset());
            return new Outcome.Stepped(m);
        }
        clock.slew(m.offset());
        return new Outcome.Slewed(m);
    }
}
