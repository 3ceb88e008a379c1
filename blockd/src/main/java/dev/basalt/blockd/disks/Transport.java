package dev.basalt.blockd.disks;

import java.util.Locale;

/** How a disk is attached, named as {@code lsblk -o TRAN} names it. */
public enum Transport {
    NVME, VIRTIO, SATA, SCSI, USB, MMC, LOOP, UNKNOWN;

    /** The lower-case name lsblk and Talos' {@code disks} output use; empty for {@link #UNKNOWN}. */
    public String wireName() {
        return this == UNKNOWN ? "" : name().toLowerCase(Locale.ROOT);
    }
}
