package dev.basalt.machined.metal;

import dev.basalt.blockd.device.BlockDevice;
import dev.basalt.blockd.disks.Disk;
import dev.basalt.blockd.disks.DiskDiscovery;
import dev.basalt.blockd.gpt.Gpt;
import dev.basalt.blockd.gpt.GptPartition;
import dev.basalt.blockd.gpt.GptReadOutcome;
import dev.basalt.blockd.gpt.GptTable;
import dev.basalt.blockd.layout.SystemPartition;
import dev.basalt.blockd.meta.MetaStore;
import dev.basalt.machined.api.MetaAccess;
import dev.basalt.machined.api.MetaKeys;
import dev.basalt.machined.api.NodeApiException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * META on the node's disks: the first disk (in discovery order) whose GPT has a partition named {@code META}
 * ({@link SystemPartition#META}) holds it. Every call looks the partition up again and loads the store afresh, so
 * an install that runs while this serves (it formats META) is never overwritten with a stale copy, and a disk
 * that appears later is found.
 *
 * <p>Thread-safe: calls are serialized on the instance, so a write never interleaves with another.
 */
public final class DiskMeta implements MetaAccess {
    /** The whole disks to search, in order. */
    @FunctionalInterface
    public interface DiskList {
        List<Path> paths() throws IOException;
    }

    private final DiskList disks;

    /** Searches the disks sysfs under {@code sysRoot} lists ({@link DiskDiscovery}). */
    public DiskMeta(Path sysRoot) {
        this(() -> DiskDiscovery.discover(sysRoot).stream().map(Disk::devPath).toList());
    }

    public DiskMeta(DiskList disks) {
        this.disks = disks;
    }

    @FunctionalInterface
    private interface StoreAction<T> {
        T apply(MetaStore store) throws IOException, NodeApiException;
    }

    @Override
    public synchronized Map<Integer, byte[]> list() throws IOException, NodeApiException {
        return withStore(MetaStore::all);
    }

    @Override
    public synchronized void write(int key, byte[] value) throws IOException, NodeApiException {
        withStore(store -> {
            try {
                store.put(key, value);
            } catch (IllegalArgumentException e) {
                throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT, "META key " + MetaKeys.id(key)
                        + ": value of " + value.length + " bytes does not fit (nothing was written): "
                        + e.getMessage());
            }
            store.flush();
            return null;
        });
    }

    @Override
    public synchronized void delete(int key) throws IOException, NodeApiException {
        withStore(store -> {
            if (!store.delete(key)) {
                throw new NodeApiException(NodeApiException.Code.NOT_FOUND, "META key " + MetaKeys.id(key)
                        + " is not set");
            }
            store.flush();
            return null;
        });
    }

    /**
     * Runs {@code action} on the META store of the first disk that has one. Disks that cannot be opened or read
     * are skipped; they are named in the error when no disk has META.
     */
    private <T> T withStore(StoreAction<T> action) throws IOException, NodeApiException {
        List<String> looked = new ArrayList<>();
        for (Path path : disks.paths()) {
            BlockDevice device;
            try {
                device = BlockDevice.open(path);
            } catch (IOException e) {
                looked.add(path + ": cannot open (" + e.getMessage() + ")");
                continue;
            }
            try (device) {
                Optional<GptPartition> meta;
                try {
                    meta = metaPartition(device, looked);
                } catch (IOException e) {
                    looked.add(path + ": cannot read the partition table (" + e.getMessage() + ")");
                    continue;
                }
                if (meta.isEmpty()) {
                    continue;
                }
                int sectorSize = device.sectorSize();
                MetaStore store;
                try {
                    store = MetaStore.load(device, meta.get().offsetBytes(sectorSize),
                            meta.get().sizeBytes(sectorSize));
                } catch (IllegalArgumentException e) {
                    // A partition named META that cannot hold the store is some other system's.
                    looked.add(path + ": " + e.getMessage());
                    continue;
                }
                return action.apply(store);
            }
        }
        throw new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION,
                "no META partition on this node (install first)" + (looked.isEmpty() ? "; no disks found"
                        : "; looked at: " + String.join(", ", looked)));
    }

    private static Optional<GptPartition> metaPartition(BlockDevice device, List<String> looked) throws IOException {
        GptReadOutcome outcome = Gpt.read(device);
        Optional<GptTable> table = outcome.table();
        if (table.isEmpty()) {
            looked.add(device.path() + ": no GPT");
            return Optional.empty();
        }
        Optional<GptPartition> meta = table.get().byName(SystemPartition.META.label());
        if (meta.isEmpty()) {
            looked.add(device.path() + ": no partition named " + SystemPartition.META.label());
        }
        return meta;
    }
}
