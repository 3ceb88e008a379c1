package dev.basalt.machined.services;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock moved only by the recording sleeper: each sleep advances it by the requested duration. */
final class TestClock extends Clock implements Sleeper {
    private volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        sleeps.add(duration);
        synchronized (this) {
            now = now.plus(duration);
        }
        // Let other threads run without making the test wait for the simulated time.
        Thread.sleep(1);
    }
}
