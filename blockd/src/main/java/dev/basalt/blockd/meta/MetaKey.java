package dev.basalt.blockd.meta;

import java.util.Arrays;
import java.util.Optional;

/**
 * The META tags Talos assigns (siderolabs/talos {@code pkg/machinery/meta}), so a disk's META means the same to
 * both systems and {@code basaltctl meta write 0xc ...} addresses the same key as talosctl. Tags 1-255 are
 * valid; these are the ones with a meaning.
 */
public enum MetaKey {
    UPGRADE(6),
    STAGED_UPGRADE_IMAGE_REF(7),
    STAGED_UPGRADE_INSTALL_OPTIONS(8),
    STATE_ENCRYPTION_CONFIG(9),
    METAL_NETWORK_PLATFORM_CONFIG(10),
    DOWNLOAD_URL_CODE(11),
    USER_RESERVED_1(12),
    USER_RESERVED_2(13),
    USER_RESERVED_3(14),
    UUID_OVERRIDE(15),
    UNIQUE_MACHINE_TOKEN(16),
    DISK_IMAGE_BOOTLOADER(17),
    STAGED_WIPE_SELECTORS(18);

    private final int tag;

    MetaKey(int tag) {
        this.tag = tag;
    }

    public int tag() {
        return tag;
    }

    public static Optional<MetaKey> of(int tag) {
        return Arrays.stream(values()).filter(k -> k.tag == tag).findFirst();
    }
}
