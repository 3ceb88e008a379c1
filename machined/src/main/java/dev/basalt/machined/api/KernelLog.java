package dev.basalt.machined.api;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The kernel log ring buffer. One implementation reads /dev/kmsg through {@code java.lang.foreign}
 * ({@link KmsgKernelLog}); tests use a fake.
 *
 * <p>Implementations are thread-safe; each {@link Reader} belongs to one caller.
 */
public interface KernelLog {
    /**
     * Opens a reader positioned at the oldest record still kept, or at the end when {@code fromEnd}.
     *
     * @throws IOException when the log cannot be opened (names the device and the reason)
     */
    Reader open(boolean fromEnd) throws IOException;

    /** A cursor over the kernel log. Not thread-safe. */
    interface Reader extends AutoCloseable {
        /**
         * The next record; waits up to {@code wait} for one to arrive (zero: do not wait). Empty when none came.
         */
        Optional<KmsgRecord> next(Duration wait) throws IOException;

        @Override
        void close();
    }
}
