package dev.basalt.blockd.layout;

/** What a system partition is formatted with. */
public enum Filesystem {
    VFAT, XFS,
    /** Left raw: GRUB's BIOS core, META's key-value blocks. */
    NONE
}
