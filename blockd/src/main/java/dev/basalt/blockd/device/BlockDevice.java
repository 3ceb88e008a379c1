package dev.basalt.blockd.device;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Random access to a whole disk (or an image file standing in for one), in bytes, with the geometry partitioning
 * needs. The GPT codec, META and the installer work only through this, so they are tested on image files and run
 * unchanged on real disks.
 *
 * <p>Implementations are not required to be thread-safe; one owner at a time uses a device.
 */
public interface BlockDevice extends AutoCloseable {
    /** The path this device was opened from (a device node or an image file). */
    Path path();

    /** Capacity in bytes. */
    long size() throws IOException;

    /** Logical sector size in bytes (512 or 4096): the unit of LBAs. */
    int sectorSize() throws IOException;

    /** Reads exactly {@code length} bytes at {@code offset}; fails when they are beyond the end. */
    byte[] read(long offset, int length) throws IOException;

    /** Writes all of {@code data} at {@code offset}; fails when it would go beyond the end. */
    void write(long offset, byte[] data) throws IOException;

    /** Makes everything written so far durable. */
    void sync() throws IOException;

    /**
     * Asks the kernel to re-read the partition table so partition device nodes match what was written. Image
     * files have nothing to re-read.
     */
    void rereadPartitions() throws IOException;

    /**
     * Makes the kernel's partition devices match {@code partitions}: re-reads the table, and adds through
     * {@code BLKPG} any partition the kernel did not find itself (kernels built without GPT parsing, as some
     * hosts are). Image files have no kernel partition state.
     */
    void publishPartitions(java.util.List<PartitionExtent> partitions) throws IOException;

    /** A partition as the kernel needs to know it: number and byte range. */
    record PartitionExtent(int number, long startBytes, long lengthBytes) {
    }

    @Override
    void close() throws IOException;

    /**
     * Opens {@code path} as the right kind of device: a block device node through {@link LinuxBlockDevice}, a
     * regular file as an image with 512-byte sectors.
     */
    static BlockDevice open(Path path) throws IOException {
        if (!java.nio.file.Files.exists(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString(), null, "no such disk or image file");
        }
        int mode = (Integer) java.nio.file.Files.getAttribute(path, "unix:mode");
        // S_IFMT / S_IFBLK from sys/stat.h.
        if ((mode & 0170000) == 0060000) {
            return LinuxBlockDevice.open(path);
        }
        if (java.nio.file.Files.isRegularFile(path)) {
            return FileBlockDevice.open(path);
        }
        throw new IOException(path + " is neither a block device nor a regular image file");
    }

    /** Number of logical sectors. */
    default long sectorCount() throws IOException {
        return size() / sectorSize();
    }
}
