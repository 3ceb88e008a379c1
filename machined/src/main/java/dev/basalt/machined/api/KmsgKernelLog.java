package dev.basalt.machined.api;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link KernelLog} over /dev/kmsg via libc's open/read/poll/lseek/close through {@code java.lang.foreign}.
 * The descriptor is opened non-blocking: read(2) answers EAGAIN at the end of the buffer, and poll(2) with a
 * timeout waits for new records without pinning a thread forever, so a cancelled follower notices promptly.
 *
 * <p>Thread-safe factory; each reader owns one descriptor and is used by one thread.
 */
public final class KmsgKernelLog implements KernelLog {
    // Values from asm-generic/fcntl.h, errno-base.h and poll.h (same on amd64 and arm64).
    private static final int O_RDONLY = 0;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final int SEEK_END = 2;
    private static final int EAGAIN = 11;
    private static final int EPIPE = 32;
    private static final int EINTR = 4;
    private static final short POLLIN = 1;
    // The kernel caps one kmsg record at 1024 bytes of text plus header and dictionary (printk's
    // CONSOLE_EXT_LOG_MAX is 8192); a read with a smaller buffer fails with EINVAL.
    private static final int RECORD_BUFFER = 8192;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(StructLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CCS = Linker.Option.captureCallState("errno");
    private static final MethodHandle OPEN = LINKER.downcallHandle(LIBC.find("open").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), CCS);
    private static final MethodHandle READ = LINKER.downcallHandle(LIBC.find("read").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG), CCS);
    private static final MethodHandle LSEEK = LINKER.downcallHandle(LIBC.find("lseek").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT), CCS);
    private static final MethodHandle POLL = LINKER.downcallHandle(LIBC.find("poll").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT), CCS);
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LIBC.find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final Path device;

    public KmsgKernelLog(Path device) {
        this.device = device;
    }

    /** The machine's /dev/kmsg. */
    public static KmsgKernelLog system() {
        return new KmsgKernelLog(Path.of("/dev/kmsg"));
    }

    @Override
    public Reader open(boolean fromEnd) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(device.toString()),
                    O_RDONLY | O_NONBLOCK | O_CLOEXEC);
            if (fd < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                throw new IOException("cannot open kernel log " + device + ": errno " + errno
                        + (errno == 1 || errno == 13 ? " (reading the kernel log needs CAP_SYSLOG)" : ""));
            }
            if (fromEnd) {
                long r = (long) LSEEK.invokeExact(state, fd, 0L, SEEK_END);
                if (r < 0) {
                    int closed = (int) CLOSE.invokeExact(fd);
                    throw new IOException("cannot seek to the end of " + device + ": errno "
                            + (int) ERRNO.get(state, 0L) + " (close " + closed + ")");
                }
            }
            return new FdReader(arena, fd, state);
        } catch (IOException e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new IOException("native call on " + device + " failed: " + t, t);
        }
    }

    private final class FdReader implements Reader {
        private final Arena arena;
        private final int fd;
        private final MemorySegment state;
        private final MemorySegment buffer;
        private final MemorySegment pollfd;
        private boolean closed;

        FdReader(Arena arena, int fd, MemorySegment state) {
            this.arena = arena;
            this.fd = fd;
            this.state = state;
            this.buffer = arena.allocate(RECORD_BUFFER);
            this.pollfd = arena.allocate(8, 4); // struct pollfd { int fd; short events; short revents; }
        }

        @Override
        public Optional<KmsgRecord> next(Duration wait) throws IOException {
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                long n;
                try {
                    n = (long) READ.invokeExact(state, fd, buffer, (long) RECORD_BUFFER);
                } catch (Throwable t) {
                    throw new IOException("read " + device + " failed: " + t, t);
                }
                if (n > 0) {
                    String raw = new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE),
                            StandardCharsets.UTF_8);
                    Optional<KmsgRecord> record = KmsgRecord.parse(raw);
                    if (record.isPresent()) {
                        return record;
                    }
                    continue;
                }
                int errno = (int) ERRNO.get(state, 0L);
                if (n < 0 && errno == EPIPE) {
                    continue; // records were overwritten under us; the next read resumes at the oldest kept
                }
                if (n < 0 && errno == EINTR) {
                    continue;
                }
                if (n < 0 && errno != EAGAIN) {
                    throw new IOException("read " + device + " failed: errno " + errno);
                }
                long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (remainingMillis <= 0) {
                    return Optional.empty();
                }
                pollfd.set(ValueLayout.JAVA_INT, 0, fd);
                pollfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
                pollfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
                try {
                    int ready = (int) POLL.invokeExact(state, pollfd, 1L, (int) Math.min(remainingMillis, 500));
                    if (ready < 0 && (int) ERRNO.get(state, 0L) != EINTR) {
                        throw new IOException("poll " + device + " failed: errno " + (int) ERRNO.get(state, 0L));
                    }
                } catch (IOException e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IOException("poll " + device + " failed: " + t, t);
                }
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                int ignored = (int) CLOSE.invokeExact(fd);
            } catch (Throwable t) {
                // nothing sensible to do: the descriptor is gone either way
            }
            arena.close();
        }
    }
}
