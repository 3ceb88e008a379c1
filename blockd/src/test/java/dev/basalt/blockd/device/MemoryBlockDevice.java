package dev.basalt.blockd.device;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** A {@link BlockDevice} held in a byte array, for codec tests that should not touch the file system. */
public final class MemoryBlockDevice implements BlockDevice {
    private final byte[] data;
    private final int sectorSize;
    private int syncs;

    public MemoryBlockDevice(int size, int sectorSize) {
        this.data = new byte[size];
        this.sectorSize = sectorSize;
    }

    @Override
    public Path path() {
        return Path.of("memory");
    }

    @Override
    public long size() {
        return data.length;
    }

    @Override
    public int sectorSize() {
        return sectorSize;
    }

    @Override
    public byte[] read(long offset, int length) throws IOException {
        check(offset, length);
        return Arrays.copyOfRange(data, (int) offset, (int) offset + length);
    }

    @Override
    public void write(long offset, byte[] bytes) throws IOException {
        check(offset, bytes.length);
        System.arraycopy(bytes, 0, data, (int) offset, bytes.length);
    }

    @Override
    public void sync() {
        syncs++;
    }

    public int syncs() {
        return syncs;
    }

    /** Direct access for tests that corrupt bytes on purpose. */
    public byte[] raw() {
        return data;
    }

    @Override
    public void rereadPartitions() {
    }

    @Override
    public void publishPartitions(java.util.List<PartitionExtent> partitions) {
    }

    @Override
    public void close() {
    }

    private void check(long offset, long length) throws IOException {
        if (offset < 0 || offset + length > data.length) {
            throw new IOException("range " + offset + "+" + length + " outside " + data.length);
        }
    }
}
