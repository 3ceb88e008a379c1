package dev.basalt.machined.services;

import java.time.Duration;

/** Waits; injected so restart backoff and polling are tested without real sleeps. Thread-safe. */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = d -> Thread.sleep(d);

    void sleep(Duration duration) throws InterruptedException;
}
