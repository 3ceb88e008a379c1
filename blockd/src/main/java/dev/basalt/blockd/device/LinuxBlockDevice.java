package dev.basalt.blockd.device;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A {@link BlockDevice} over a Linux block device node. Data moves through a {@link FileChannel}; geometry and
 * partition re-reading go through the block layer's ioctls, called with {@code java.lang.foreign}:
 * {@code BLKGETSIZE64}, {@code BLKSSZGET}, {@code BLKRRPART} (linux/fs.h).
 *
 * <p>Not thread-safe.
 */
public final class LinuxBlockDevice implements BlockDevice {
    // linux/fs.h: _IO(0x12, 95), _IO(0x12, 104), _IOR(0x12, 114, size_t) on 64-bit.
    private static final long BLKRRPART = 0x125FL;
    private static final long BLKSSZGET = 0x1268L;
    private static final long BLKGETSIZE64 = 0x80081272L;
    // linux/blkpg.h: BLKPG is _IO(0x12, 105); ops and errno values from the kernel ABI.
    private static final long BLKPG = 0x1269L;
    private static final int BLKPG_ADD_PARTITION = 1;
    private static final int EBUSY = 16;
    private static final int EINVAL = 22;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("open"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle IOCTL = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("ioctl"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                    ValueLayout.ADDRESS),
            Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("close"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("strerror"),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private final Path path;
    private final FileChannel channel;
    private final int fd;
    private final long size;
    private final int sectorSize;

    private LinuxBlockDevice(Path path, FileChannel channel, int fd, long size, int sectorSize) {
        this.path = path;
        this.channel = channel;
        this.fd = fd;
        this.size = size;
        this.sectorSize = sectorSize;
    }

    /** Opens a block device node read-write. */
    public static LinuxBlockDevice open(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString(), null, "no such block device");
        }
        int fd = openFd(path);
        try {
            long size = ioctlLong(fd, BLKGETSIZE64, path, "BLKGETSIZE64");
            int sectorSize = ioctlInt(fd, BLKSSZGET, path, "BLKSSZGET");
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            return new LinuxBlockDevice(path, channel, fd, size, sectorSize);
        } catch (IOException | RuntimeException e) {
            closeFd(fd);
            throw e;
        }
    }

    /** The size in bytes of the block device at {@code path}, without opening it for writing. */
    public static long sizeOf(Path path) throws IOException {
        int fd = openFd(path);
        try {
            return ioctlLong(fd, BLKGETSIZE64, path, "BLKGETSIZE64");
        } finally {
            closeFd(fd);
        }
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int sectorSize() {
        return sectorSize;
    }

    @Override
    public byte[] read(long offset, int length) throws IOException {
        return FileBlockDevice.ChannelIo.read(channel, path, offset, length, size);
    }

    @Override
    public void write(long offset, byte[] data) throws IOException {
        FileBlockDevice.ChannelIo.write(channel, path, offset, data, size);
    }

    @Override
    public void sync() throws IOException {
        channel.force(true);
    }

    @Override
    public void rereadPartitions() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) IOCTL.invokeExact(state, fd, BLKRRPART, MemorySegment.NULL);
            if (rc != 0) {
                throw errnoException(path, "BLKRRPART (re-read partition table)", (int) ERRNO.get(state, 0L));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * BLKRRPART, then BLKPG_ADD_PARTITION for each partition; EBUSY from BLKPG means the kernel already made
     * that partition from its own reading of the table.
     */
    @Override
    public void publishPartitions(java.util.List<PartitionExtent> partitions) throws IOException {
        try {
            rereadPartitions();
        } catch (IOException e) {
            // EINVAL: the device does not support re-reading (e.g. a loop device without partscan); BLKPG below
            // still works. Anything else (EBUSY: a partition is mounted) is a real failure.
            if (!e.getMessage().endsWith("(errno " + EINVAL + ")")) {
                throw e;
            }
        }
        for (PartitionExtent p : partitions) {
            try (Arena arena = Arena.ofConfined()) {
                // struct blkpg_partition { long long start, length; int pno; char devname[64], volname[64]; }
                MemorySegment part = arena.allocate(152, 8);
                part.set(ValueLayout.JAVA_LONG, 0, p.startBytes());
                part.set(ValueLayout.JAVA_LONG, 8, p.lengthBytes());
                part.set(ValueLayout.JAVA_INT, 16, p.number());
                // struct blkpg_ioctl_arg { int op, flags, datalen; void *data; }
                MemorySegment arg = arena.allocate(24, 8);
                arg.set(ValueLayout.JAVA_INT, 0, BLKPG_ADD_PARTITION);
                arg.set(ValueLayout.JAVA_INT, 4, 0);
                arg.set(ValueLayout.JAVA_INT, 8, 152);
                arg.set(ValueLayout.ADDRESS, 16, part);
                MemorySegment state = arena.allocate(CALL_STATE);
                int rc = (int) IOCTL.invokeExact(state, fd, BLKPG, arg);
                int errno = (int) ERRNO.get(state, 0L);
                if (rc != 0 && errno != EBUSY) {
                    throw errnoException(path, "BLKPG add partition " + p.number(), errno);
                }
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            closeFd(fd);
        }
    }

    private static int openFd(Path path) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path.toString()), O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                throw errnoException(path, "open", (int) ERRNO.get(state, 0L));
            }
            return fd;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static long ioctlLong(int fd, long request, Path path, String name) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG);
            int rc = (int) IOCTL.invokeExact(state, fd, request, out);
            if (rc != 0) {
                throw errnoException(path, name, (int) ERRNO.get(state, 0L));
            }
            return out.get(ValueLayout.JAVA_LONG, 0);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static int ioctlInt(int fd, long request, Path path, String name) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            int rc = (int) IOCTL.invokeExact(state, fd, request, out);
            if (rc != 0) {
                throw errnoException(path, name, (int) ERRNO.get(state, 0L));
            }
            return out.get(ValueLayout.JAVA_INT, 0);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void closeFd(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static IOException errnoException(Path path, String what, int errno) {
        String text;
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            text = s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            text = "errno " + errno;
        }
        return new IOException(path + ": " + what + " failed: " + text + " (errno " + errno + ")");
    }
}
