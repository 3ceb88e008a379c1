package dev.basalt.blockd.gpt;

import java.util.Objects;
import java.util.UUID;

/**
 * One used entry of a GPT partition entry array (UEFI 2.10 section 5.3.3, table 5.6).
 *
 * @param number     1-based position in the entry array (Linux names the partition device after it)
 * @param type       partition type GUID; never the all-zero "unused" GUID
 * @param id         the partition's unique GUID
 * @param firstLba   first sector, inclusive
 * @param lastLba    last sector, inclusive
 * @param attributes attribute bits: {@link #ATTR_REQUIRED}, {@link #ATTR_NO_BLOCK_IO},
 *                   {@link #ATTR_LEGACY_BIOS_BOOTABLE}, and type-specific bits 48-63
 * @param name       label, at most {@value #MAX_NAME_UNITS} UTF-16 code units
 */
public record GptPartition(int number, UUID type, UUID id, long firstLba, long lastLba, long attributes,
                           String name) {
    /** Bit 0: the platform needs this partition to function. */
    public static final long ATTR_REQUIRED = 1L;
    /** Bit 1: EFI must not produce a block I/O protocol for it. */
    public static final long ATTR_NO_BLOCK_IO = 1L << 1;
    /** Bit 2: legacy BIOS bootable (what GRUB's BIOS core partition carries in Talos' layout). */
    public static final long ATTR_LEGACY_BIOS_BOOTABLE = 1L << 2;
    /** The name field is 72 bytes of UTF-16LE. */
    public static final int MAX_NAME_UNITS = 36;

    static final UUID UNUSED = new UUID(0, 0);

    public GptPartition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        if (number < 1) {
            throw new IllegalArgumentException("partition number must be at least 1, got " + number);
        }
        if (type.equals(UNUSED)) {
            throw new IllegalArgumentException("partition " + number + " has the all-zero type GUID, which marks"
                    + " an unused entry");
        }
        if (firstLba < 0 || lastLba < firstLba) {
            throw new IllegalArgumentException("partition " + number + " spans LBA " + firstLba + ".." + lastLba
                    + ", expected 0 <= first <= last");
        }
        if (name.length() > MAX_NAME_UNITS) {
            throw new IllegalArgumentException("partition " + number + " name '" + name + "' is " + name.length()
                    + " UTF-16 units, at most " + MAX_NAME_UNITS + " fit");
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("partition " + number + " name must not contain NUL");
        }
    }

    /** A partition of a well-known type. */
    public static GptPartition of(int number, PartitionType type, long firstLba, long lastLba, long attributes,
                                  String name) {
        return new GptPartition(number, type.guid(), UUID.randomUUID(), firstLba, lastLba, attributes, name);
    }

    public long sectors() {
        return lastLba - firstLba + 1;
    }

    public long sizeBytes(int sectorSize) {
        return sectors() * sectorSize;
    }

    public long offsetBytes(int sectorSize) {
        return firstLba * sectorSize;
    }

    public boolean hasAttribute(long bit) {
        return (attributes & bit) != 0;
    }
}
