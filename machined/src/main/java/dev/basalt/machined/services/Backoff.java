package dev.basalt.machined.services;

import java.time.Duration;

/**
 * Exponential restart delay: {@code initial * multiplier^(attempt-1)}, capped at {@code max}. A run that lasted
 * at least {@code stableAfter} resets the count, so a service that fails once a day restarts quickly each time.
 */
public record Backoff(Duration initial, Duration max, double multiplier, Duration stableAfter) {
    /** 1 s, doubling, at most 30 s; a minute of running counts as stable. */
    public static final Backoff STANDARD = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0,
            Duration.ofMinutes(1));

    public Backoff {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("backoff initial delay must be positive, got " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff max " + max + " is below the initial delay " + initial);
        }
        if (!(multiplier >= 1.0)) {
            throw new IllegalArgumentException("backoff multiplier must be >= 1, got " + multiplier);
        }
    }

    /** The delay before restart number {@code attempt} (1-based). */
    public Duration delay(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("restart attempt is 1-based, got " + attempt);
        }
        double nanos = initial.toNanos() * Math.pow(multiplier, attempt - 1);
        return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
    }
}
