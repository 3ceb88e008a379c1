package dev.basalt.blockd.layout;

import dev.basalt.blockd.gpt.GptPartition;
import dev.basalt.blockd.gpt.GptTable;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Plans the GPT of an install disk: the {@link SystemPartition}s in order, each starting on a 1 MiB boundary
 * (the alignment sgdisk and parted use, right for 4 KiB-sector and SSD erase-block geometry), EPHEMERAL taking
 * what is left down to the last whole MiB before the backup GPT.
 *
 * <p>Stateless; thread-safe.
 */
public final class SystemLayout {
    public static final long MIB = 1024 * 1024;
    /** Partition starts and sizes are multiples of this. */
    public static final long ALIGNMENT = MIB;

    private SystemLayout() {
    }

    /** The least disk size the layout fits on. */
    public static long minimumDiskBytes(int sectorSize) {
        GptTable probe = GptTable.empty(new UUID(0, 1), sectorSize, (1L << 40) / sectorSize);
        long backupTail = (probe.entryArraySectors() + 1) * sectorSize;
        long ephemeralStart = ALIGNMENT;
        for (SystemPartition p : SystemPartition.values()) {
            if (p != SystemPartition.EPHEMERAL) {
                ephemeralStart += p.sizeBytes();
            }
        }
        long end = ephemeralStart + SystemPartition.EPHEMERAL.sizeBytes();
        return roundUp(end + backupTail, ALIGNMENT);
    }

    /**
     * The table for a disk of {@code diskBytes} with {@code sectorSize}-byte sectors, or why it does not fit.
     *
     * @param disk named in the error when the disk is too small
     */
    public static LayoutPlan plan(String disk, long diskBytes, int sectorSize, UUID diskId) {
        long needed = minimumDiskBytes(sectorSize);
        if (diskBytes < needed) {
            return new LayoutPlan.TooSmall(disk, needed, diskBytes);
        }
        GptTable empty = GptTable.empty(diskId, sectorSize, diskBytes / sectorSize);
        long align = ALIGNMENT / sectorSize;
        long next = roundUp(empty.firstUsableLba(), align);
        List<GptPartition> parts = new ArrayList<>();
        for (SystemPartition p : SystemPartition.values()) {
            long last;
            if (p == SystemPartition.EPHEMERAL) {
                last = (empty.lastUsableLba() + 1) / align * align - 1;
            } else {
                last = next + p.sizeBytes() / sectorSize - 1;
            }
            parts.add(new GptPartition(p.number(), p.type().guid(), UUID.randomUUID(), next, last, p.attributes(),
                    p.label()));
            next = last + 1;
        }
        return new LayoutPlan.Fits(empty.withPartitions(parts));
    }

    private static long roundUp(long value, long unit) {
        return (value + unit - 1) / unit * unit;
    }
}
