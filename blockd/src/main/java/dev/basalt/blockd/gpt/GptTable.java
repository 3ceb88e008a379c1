package dev.basalt.blockd.gpt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A whole GUID partition table as the headers describe it (UEFI 2.10 section 5.3.2): disk GUID, geometry, usable
 * range, the entry array's shape, and the used entries.
 *
 * <p>The constructor enforces what makes a table writable: partitions inside the usable range, no overlaps,
 * unique numbers that fit the entry array.
 *
 * @param diskId          the disk GUID
 * @param sectorSize      logical sector size the LBAs count in
 * @param backupHeaderLba where the backup header lives: normally the disk's last sector
 * @param firstUsableLba  first sector a partition may use
 * @param lastUsableLba   last sector a partition may use
 * @param entryCount      number of entries in each array (128 as written by Basalt and sgdisk)
 * @param entrySize       bytes per entry (128 * 2^n; 128 as written by Basalt)
 * @param partitions      the used entries, ordered by number
 */
public record GptTable(UUID diskId, int sectorSize, long backupHeaderLba, long firstUsableLba, long lastUsableLba,
                       int entryCount, int entrySize, List<GptPartition> partitions) {
    /** Entries Basalt writes, like sgdisk and parted. */
    public static final int DEFAULT_ENTRY_COUNT = 128;
    public static final int DEFAULT_ENTRY_SIZE = 128;

    public GptTable {
        Objects.requireNonNull(diskId, "diskId");
        if (sectorSize < 512 || Integer.bitCount(sectorSize) != 1) {
            throw new IllegalArgumentException("sector size must be a power of two >= 512, got " + sectorSize);
        }
        if (entrySize < 128 || Integer.bitCount(entrySize) != 1) {
            throw new IllegalArgumentException("GPT entry size must be 128 * 2^n, got " + entrySize);
        }
        if (entryCount < 1) {
            throw new IllegalArgumentException("GPT entry count must be positive, got " + entryCount);
        }
        if (firstUsableLba < 2 + entrySectors(entryCount, entrySize, sectorSize) || lastUsableLba < firstUsableLba
                || backupHeaderLba <= lastUsableLba + entrySectors(entryCount, entrySize, sectorSize) - 1) {
            throw new IllegalArgumentException("GPT usable range " + firstUsableLba + ".." + lastUsableLba
                    + " does not leave room for the headers and entry arrays before LBA " + backupHeaderLba);
        }
        List<GptPartition> sorted = new ArrayList<>(partitions);
        sorted.sort(Comparator.comparingInt(GptPartition::number));
        for (int i = 0; i < sorted.size(); i++) {
            GptPartition p = sorted.get(i);
            if (p.number() > entryCount) {
                throw new IllegalArgumentException("partition number " + p.number() + " does not fit the "
                        + entryCount + "-entry array");
            }
            if (i > 0 && sorted.get(i - 1).number() == p.number()) {
                throw new IllegalArgumentException("partition number " + p.number() + " is used twice");
            }
            if (p.firstLba() < firstUsableLba || p.lastLba() > lastUsableLba) {
                throw new IllegalArgumentException("partition " + p.number() + " ('" + p.name() + "') spans LBA "
                        + p.firstLba() + ".." + p.lastLba() + ", outside the usable range " + firstUsableLba
                        + ".." + lastUsableLba);
            }
        }
        List<GptPartition> byStart = new ArrayList<>(sorted);
        byStart.sort(Comparator.comparingLong(GptPartition::firstLba));
        for (int i = 1; i < byStart.size(); i++) {
            GptPartition a = byStart.get(i - 1);
            GptPartition b = byStart.get(i);
            if (b.firstLba() <= a.lastLba()) {
                throw new IllegalArgumentException("partitions " + a.number() + " ('" + a.name() + "', LBA "
                        + a.firstLba() + ".." + a.lastLba() + ") and " + b.number() + " ('" + b.name() + "', LBA "
                        + b.firstLba() + ".." + b.lastLba() + ") overlap");
            }
        }
        partitions = List.copyOf(sorted);
    }

    /**
     * An empty table for a disk of {@code totalSectors}, with the standard 128 entries of 128 bytes and the
     * usable range right after the primary array up to right before the backup array.
     */
    public static GptTable empty(UUID diskId, int sectorSize, long totalSectors) {
        long arraySectors = entrySectors(DEFAULT_ENTRY_COUNT, DEFAULT_ENTRY_SIZE, sectorSize);
        long last = totalSectors - 1;
        return new GptTable(diskId, sectorSize, last, 2 + arraySectors, last - arraySectors - 1,
                DEFAULT_ENTRY_COUNT, DEFAULT_ENTRY_SIZE, List.of());
    }

    /** A copy with {@code more} partitions added. */
    public GptTable withPartitions(List<GptPartition> more) {
        List<GptPartition> all = new ArrayList<>(partitions);
        all.addAll(more);
        return new GptTable(diskId, sectorSize, backupHeaderLba, firstUsableLba, lastUsableLba, entryCount,
                entrySize, all);
    }

    /** Sectors one entry array occupies. */
    public long entryArraySectors() {
        return entrySectors(entryCount, entrySize, sectorSize);
    }

    /** First sector of the backup entry array, right before the backup header. */
    public long backupEntriesLba() {
        return backupHeaderLba - entryArraySectors();
    }

    public Optional<GptPartition> byName(String name) {
        return partitions.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<GptPartition> byNumber(int number) {
        return partitions.stream().filter(p -> p.number() == number).findFirst();
    }

    static long entrySectors(int count, int size, int sectorSize) {
        long bytes = (long) count * size;
        return (bytes + sectorSize - 1) / sectorSize;
    }
}
