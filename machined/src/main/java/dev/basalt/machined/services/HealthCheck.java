package dev.basalt.machined.services;

import java.time.Duration;

/**
 * A probe of whether a running service does its job. Implementations must return within {@code timeout} (or
 * soon after) and never throw for a failing service: failure is an {@link HealthResult.Unhealthy} naming what
 * was probed and what went wrong.
 *
 * <p>Implementations must be thread-safe.
 */
public interface HealthCheck {
    HealthResult probe(Duration timeout) throws InterruptedException;

    /** How often the supervisor probes, and the deadline of each probe. */
    default Duration period() {
        return Duration.ofSeconds(5);
    }

    default Duration timeout() {
        return Duration.ofSeconds(3);
    }
}
