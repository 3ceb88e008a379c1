package dev.basalt.blockd.layout;

import dev.basalt.blockd.gpt.GptPartition;
import dev.basalt.blockd.gpt.PartitionType;

/**
 * The partitions of an installed Basalt disk, in on-disk order, as BRIEF section 3 fixes them. The GPT partition
 * number is the ordinal plus one, so EFI is partition 1 and EPHEMERAL partition 6 on every install.
 */
public enum SystemPartition {
    EFI(100 * SystemLayout.MIB, PartitionType.EFI_SYSTEM, 0, Filesystem.VFAT),
    BIOS(SystemLayout.MIB, PartitionType.BIOS_BOOT, GptPartition.ATTR_LEGACY_BIOS_BOOTABLE, Filesystem.NONE),
    BOOT(1000 * SystemLayout.MIB, PartitionType.LINUX_DATA, 0, Filesystem.XFS),
    META(SystemLayout.MIB, PartitionType.LINUX_DATA, 0, Filesystem.NONE),
    STATE(100 * SystemLayout.MIB, PartitionType.LINUX_DATA, 0, Filesystem.XFS),
    /** Takes the rest of the disk; {@link #sizeBytes()} is its minimum. */
    EPHEMERAL(2048 * SystemLayout.MIB, PartitionType.LINUX_DATA, 0, Filesystem.XFS);

    private final long sizeBytes;
    private final PartitionType type;
    private final long attributes;
    private final Filesystem filesystem;

    SystemPartition(long sizeBytes, PartitionType type, long attributes, Filesystem filesystem) {
        this.sizeBytes = sizeBytes;
        this.type = type;
        this.attributes = attributes;
        this.filesystem = filesystem;
    }

    /** The GPT partition name; exactly the enum name (EFI, BIOS, BOOT, META, STATE, EPHEMERAL). */
    public String label() {
        return name();
    }

    /** The GPT partition number. */
    public int number() {
        return ordinal() + 1;
    }

    /** Fixed size, or for {@link #EPHEMERAL} the least it may have. */
    public long sizeBytes() {
        return sizeBytes;
    }

    public PartitionType type() {
        return type;
    }

    public long attributes() {
        return attributes;
    }

    public Filesystem filesystem() {
        return filesystem;
    }

    /** STATE and EPHEMERAL may be LUKS2-encrypted ({@code machine.systemDiskEncryption}). */
    public boolean encryptable() {
        return this == STATE || this == EPHEMERAL;
    }
}
