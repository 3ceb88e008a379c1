package dev.basalt.machined.services;

import dev.basalt.machined.api.ServiceLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory log of one service: a ring of the newest lines, bounded both by a line count and by the UTF-8
 * bytes they take, so a service that prints a few huge lines cannot hold more memory than one that prints many
 * short ones. Readers take the last N lines ({@link #tail}) or follow new lines through a {@link Cursor}
 * (what {@code logs -f} does); a cursor that falls behind the ring skips to the oldest line still held. The node
 * API reads it as a {@link ServiceLog}.
 *
 * <p>Thread-safe: any number of writers and cursors may run concurrently.
 */
public final class LogBuffer implements LineSink, ServiceLog {
    /** Lines longer than this are cut (with a marker) so one line cannot evict the whole ring. */
    public static final int MAX_LINE_CHARS = 16 * 1024;

    private final int maxLines;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    /** Absolute index of {@code lines.peekFirst()}; line n is held while first <= n < first + lines.size(). */
    private long first;
    private long bytes;

    public LogBuffer(int maxLines, long maxBytes) {
        if (maxLines <= 0) {
            throw new IllegalArgumentException("log buffer line limit must be positive, got " + maxLines);
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("log buffer byte limit must be positive, got " + maxBytes);
        }
        this.maxLines = maxLines;
        this.maxBytes = maxBytes;
    }

    /** A buffer of 2,000 lines or 1 MiB, whichever fills first: enough to see why a service keeps failing. */
    public static LogBuffer standard() {
        return new LogBuffer(2_000, 1 << 20);
    }

    @Override
    public void line(String line) {
        String kept = line.length() > MAX_LINE_CHARS
                ? line.substring(0, MAX_LINE_CHARS) + " [line cut at " + MAX_LINE_CHARS + " characters]" : line;
        long size = weight(kept);
        lock.lock();
        try {
            lines.addLast(kept);
            bytes += size;
            while (lines.size() > maxLines || (bytes > maxBytes && lines.size() > 1)) {
                bytes -= weight(lines.removeFirst());
                first++;
            }
            appended.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The last {@code count} lines held, oldest first; a negative count means all of them. */
    public List<String> tail(int count) {
        lock.lock();
        try {
            int skip = count < 0 ? 0 : Math.max(0, lines.size() - count);
            List<String> out = new ArrayList<>(lines.size() - skip);
            int i = 0;
            for (String l : lines) {
                if (i++ >= skip) {
                    out.add(l);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Lines ever written, including those that fell off. */
    public long written() {
        lock.lock();
        try {
            return first + lines.size();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes held now (UTF-8 length of the lines plus one newline each). */
    public long heldBytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** A cursor positioned {@code tail} lines before the end (negative: at the oldest line held). */
    @Override
    public Cursor cursor(int tail) {
        lock.lock();
        try {
            long end = first + lines.size();
            long start = tail < 0 ? first : Math.max(first, end - tail);
            return new Cursor(start);
        } finally {
            lock.unlock();
        }
    }

    private static long weight(String line) {
        // Exact UTF-8 length without allocating for the common ASCII case.
        long n = line.length();
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) >= 0x80) {
                return line.getBytes(StandardCharsets.UTF_8).length + 1L;
            }
        }
        return n + 1;
    }

    /** A reading position. Not thread-safe: one per reader. */
    public final class Cursor implements ServiceLog.Cursor {
        private long next;

        private Cursor(long next) {
            this.next = next;
        }

        /** Up to {@code max} lines available now, without waiting. */
        @Override
        public List<String> drain(int max) {
            lock.lock();
            try {
                return take(max);
            } finally {
                lock.unlock();
            }
        }

        /** The next line, waiting up to {@code wait} for one to be written. */
        @Override
        public Optional<String> next(Duration wait) throws InterruptedException {
            long nanos = wait.toNanos();
            lock.lock();
            try {
                while (next >= first + lines.size()) {
                    if (nanos <= 0) {
                        return Optional.empty();
                    }
                    nanos = appended.awaitNanos(nanos);
                }
                return Optional.of(take(1).getFirst());
            } finally {
                lock.unlock();
            }
        }

        private List<String> take(int max) {
            if (next < first) {
                next = first;
            }
            List<String> out = new ArrayList<>();
            long end = first + lines.size();
            if (next >= end || max <= 0) {
                return out;
            }
            // ArrayDeque has no index access; walk from the front (the ring is bounded, reads are rare).
            long index = first;
            for (String l : lines) {
                if (index >= next) {
                    out.add(l);
                    if (out.size() == max) {
                        break;
                    }
                }
                index++;
            }
            next += out.size();
            return out;
        }
    }
}
