package dev.basalt.blockd.meta;

import dev.basalt.blockd.device.BlockDevice;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * META: the small key-value store on the META partition that survives reboots and reinstalls of the
 * kernel (upgrade bookkeeping, staged options, user keys). Two {@link AdvCodec} copies at the start of the
 * partition; loading takes the first valid one, writing rewrites both and syncs.
 *
 * <p>Changes are kept in memory until {@link #flush()}. Thread-safe: all methods synchronize on the store.
 */
public final class MetaStore {
    /** Which copy a load used. */
    public enum Source {
        PRIMARY,
        /** The first copy was damaged; {@link #problems()} says how. */
        SECONDARY,
        /** Neither copy was valid (a fresh partition, or both destroyed): the store starts empty. */
        EMPTY
    }

    private final BlockDevice device;
    private final long offset;
    private final SortedMap<Integer, byte[]> values;
    private final Source source;
    private final String problems;

    private MetaStore(BlockDevice device, long offset, SortedMap<Integer, byte[]> values, Source source,
                      String problems) {
        this.device = device;
        this.offset = offset;
        this.values = values;
        this.source = source;
        this.problems = problems;
    }

    /**
     * Loads META from {@code length} bytes at {@code offset} of {@code device} (the META partition's range).
     *
     * @throws IllegalArgumentException when the range cannot hold two ADV copies
     */
    public static MetaStore load(BlockDevice device, long offset, long length) throws IOException {
        if (length < 2L * AdvCodec.BLOCK_SIZE) {
            throw new IllegalArgumentException("META range of " + length + " bytes on " + device.path()
                    + " cannot hold two " + AdvCodec.BLOCK_SIZE + "-byte copies");
        }
        AdvDecode first = AdvCodec.decode(device.read(offset, AdvCodec.BLOCK_SIZE));
        if (first instanceof AdvDecode.Valid v) {
            return new MetaStore(device, offset, v.values(), Source.PRIMARY, "");
        }
        String firstProblem = "copy 1: " + ((AdvDecode.Invalid) first).reason();
        AdvDecode second = AdvCodec.decode(device.read(offset + AdvCodec.BLOCK_SIZE, AdvCodec.BLOCK_SIZE));
        if (second instanceof AdvDecode.Valid v) {
            return new MetaStore(device, offset, v.values(), Source.SECONDARY, firstProblem);
        }
        return new MetaStore(device, offset, new TreeMap<>(), Source.EMPTY,
                firstProblem + "; copy 2: " + ((AdvDecode.Invalid) second).reason());
    }

    public synchronized Source source() {
        return source;
    }

    /** What was wrong with the copies at load time; empty when the first copy was valid. */
    public synchronized String problems() {
        return problems;
    }

    public synchronized Optional<byte[]> get(int tag) {
        return Optional.ofNullable(values.get(tag)).map(byte[]::clone);
    }

    public Optional<byte[]> get(MetaKey key) {
        return get(key.tag());
    }

    /**
     * Sets {@code tag} in memory.
     *
     * @throws IllegalArgumentException when the tag is out of range or the store would overflow its block
     */
    public synchronized void put(int tag, byte[] value) {
        AdvCodec.checkTag(tag);
        SortedMap<Integer, byte[]> next = new TreeMap<>(values);
        next.put(tag, value.clone());
        long size = AdvCodec.encodedSize(next);
        if (size > AdvCodec.DATA_CAPACITY) {
            throw new IllegalArgumentException("META tag " + tag + " with " + value.length + " bytes would make "
                    + size + " bytes of records, only " + AdvCodec.DATA_CAPACITY + " fit");
        }
        values.put(tag, value.clone());
    }

    public void put(MetaKey key, byte[] value) {
        put(key.tag(), value);
    }

    /** Removes {@code tag}; returns whether it was set. */
    public synchronized boolean delete(int tag) {
        return values.remove(tag) != null;
    }

    /** All values, tag ascending. */
    public synchronized SortedMap<Integer, byte[]> all() {
        SortedMap<Integer, byte[]> copy = new TreeMap<>();
        values.forEach((k, v) -> copy.put(k, v.clone()));
        return Collections.unmodifiableSortedMap(copy);
    }

    /** Writes both copies (first, then second) and syncs the device. */
    public synchronized void flush() throws IOException {
        byte[] block = AdvCodec.encode(values);
        device.write(offset, block);
        device.sync();
        device.write(offset + AdvCodec.BLOCK_SIZE, block);
        device.sync();
    }

    /** Writes an empty store over whatever is at the range: a fresh META. */
    public static void format(BlockDevice device, long offset) throws IOException {
        byte[] block = AdvCodec.encode(Map.of());
        device.write(offset, block);
        device.write(offset + AdvCodec.BLOCK_SIZE, block);
        device.sync();
    }
}
