package dev.basalt.machined.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The read side of one service's log as the node API serves it ({@code Logs}, {@code basaltctl logs [-f]}):
 * the newest lines a bounded buffer still holds, and new lines as they are written. The supervisor's
 * per-service buffer implements it; the API never writes.
 *
 * <p>Implementations must be thread-safe; a {@link Cursor} is used by one reader.
 */
public interface ServiceLog {
    /**
     * A cursor positioned {@code tail} lines before the end: negative starts at the oldest line held, 0 reads
     * only lines written from now on (talosctl's {@code tail_lines}).
     */
    Cursor cursor(int tail);

    /** A reading position; one that falls behind the buffer skips to the oldest line still held. */
    interface Cursor {
        /** Up to {@code max} lines available now, without waiting. */
        List<String> drain(int max);

        /** The next line, waiting up to {@code wait} for one to be written. */
        Optional<String> next(Duration wait) throws InterruptedException;
    }
}
