package dev.basalt.networkd.sntp;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/** The system's real-time clock: read, step, slew. Implementations are thread-safe. */
public interface SystemClock {
    Instant now();

    /** Jumps the clock by {@code offset} at once. */
    void step(Duration offset) throws IOException;

    /** Moves the clock by {@code offset} gradually (the kernel runs it slightly fast or slow until done). */
    void slew(Duration offset) throws IOException;
}
