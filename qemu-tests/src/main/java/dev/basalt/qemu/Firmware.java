package dev.basalt.qemu;

import java.nio.file.Path;
import java.util.List;

/**
 * The guest's firmware.
 */
public enum Firmware {
    /** QEMU's default legacy BIOS. */
    SEABIOS,
    /** UEFI (Debian's ovmf package). */
    OVMF;

    static final Path OVMF_IMAGE = Path.of("/usr/share/ovmf/OVMF.fd");

    List<String> arguments() {
        return this == OVMF ? List.of("-bios", OVMF_IMAGE.toString()) : List.of();
    }
}
