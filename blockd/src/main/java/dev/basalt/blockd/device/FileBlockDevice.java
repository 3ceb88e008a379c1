package dev.basalt.blockd.device;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A {@link BlockDevice} over a regular file (a disk image), with a sector size chosen by the caller since a file
 * has none of its own. Its size is the file's length at the time of each call.
 *
 * <p>Not thread-safe.
 */
public final class FileBlockDevice implements BlockDevice {
    private final Path path;
    private final int sectorSize;
    private final FileChannel channel;

    private FileBlockDevice(Path path, int sectorSize, FileChannel channel) {
        this.path = path;
        this.sectorSize = sectorSize;
        this.channel = channel;
    }

    /** Opens an existing image file read-write with 512-byte sectors. */
    public static FileBlockDevice open(Path path) throws IOException {
        return open(path, 512);
    }

    public static FileBlockDevice open(Path path, int sectorSize) throws IOException {
        if (sectorSize != 512 && sectorSize != 4096) {
            throw new IllegalArgumentException("sector size of " + path + " must be 512 or 4096, got " + sectorSize);
        }
        return new FileBlockDevice(path, sectorSize,
                FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public int sectorSize() {
        return sectorSize;
    }

    @Override
    public byte[] read(long offset, int length) throws IOException {
        return ChannelIo.read(channel, path, offset, length, size());
    }

    @Override
    public void write(long offset, byte[] data) throws IOException {
        ChannelIo.write(channel, path, offset, data, size());
    }

    @Override
    public void sync() throws IOException {
        channel.force(true);
    }

    @Override
    public void rereadPartitions() {
        // An image file has no kernel partition state.
    }

    @Override
    public void publishPartitions(java.util.List<PartitionExtent> partitions) {
        // An image file has no kernel partition state.
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Positional reads and writes with bounds checks shared by the file and device implementations. */
    static final class ChannelIo {
        private ChannelIo() {
        }

        static byte[] read(FileChannel channel, Path path, long offset, int length, long size) throws IOException {
            checkRange(path, offset, length, size);
            ByteBuffer buf = ByteBuffer.allocate(length);
            while (buf.hasRemaining()) {
                int n = channel.read(buf, offset + buf.position());
                if (n < 0) {
                    throw new EOFException(path + ": end of device at " + (offset + buf.position())
                            + " while reading " + length + " bytes at " + offset);
                }
            }
            return buf.array();
        }

        static void write(FileChannel channel, Path path, long offset, byte[] data, long size) throws IOException {
            checkRange(path, offset, data.length, size);
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                channel.write(buf, offset + buf.position());
            }
        }

        private static void checkRange(Path path, long offset, long length, long size) throws IOException {
            if (offset < 0 || length < 0 || offset + length > size) {
                throw new IOException(path + ": range [" + offset + ", " + (offset + length)
                        + ") is outside the device of " + size + " bytes");
            }
        }
    }
}
