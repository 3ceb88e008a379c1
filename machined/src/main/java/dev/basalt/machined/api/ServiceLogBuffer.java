package dev.basalt.machined.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded ring of log lines for one service, with cursors that can follow new lines. Old lines fall off
 * the front once {@code capacity} is reached; a cursor that falls behind skips to the oldest kept line.
 *
 * <p>Thread-safe: writers and any number of cursors may run concurrently.
 */
public final class ServiceLogBuffer {
    private final String[] ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    /** Total lines ever appended; line n lives at ring[n % capacity] while n >= written - capacity. */
    private long written;

    public ServiceLogBuffer(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("log capacity must be positive, got " + capacity);
        }
        this.ring = new String[capacity];
    }

    /** Appends one line (without its newline). */
    public void append(String line) {
        lock.lock();
        try {
            ring[(int) (written % ring.length)] = line;
            written++;
            appended.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A cursor starting {@code tail} lines before the end; a negative {@code tail} starts at the oldest kept. */
    public Cursor cursor(int tail) {
        lock.lock();
        try {
            long oldest = Math.max(0, written - ring.length);
            long start = tail < 0 ? oldest : Math.max(oldest, written - tail);
            return new Cursor(start);
        } finally {
            lock.unlock();
        }
    }

    /** Reads lines in order. Not thread-safe; one per reader. */
    public final class Cursor {
        private long next;

        private Cursor(long next) {
            this.next = next;
        }

        /** Lines available now, without waiting (at most {@code max}). */
        public List<String> drain(int max) {
            lock.lock();
            try {
                return take(max);
            } finally {
                lock.unlock();
            }
        }

        /** The next line, waiting up to {@code wait} for one. */
        public Optional<String> next(Duration wait) throws InterruptedException {
            long nanos = wait.toNanos();
            lock.lock();
            try {
                while (next >= written) {
                    if (nanos <= 0) {
                        return Optional.empty();
                    }
                    nanos = appended.awaitNanos(nanos);
                }
                List<String> one = take(1);
                return one.isEmpty() ? Optional.empty() : Optional.of(one.getFirst());
            } finally {
                lock.unlock();
            }
        }

        private List<String> take(int max) {
            long oldest = Math.max(0, written - ring.length);
            if (next < oldest) {
                next = oldest;
            }
            List<String> out = new ArrayList<>();
            while (next < written && out.size() < max) {
                out.add(ring[(int) (next % ring.length)]);
                next++;
            }
            return out;
        }
    }
}
