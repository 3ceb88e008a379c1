package dev.basalt.blockd.gpt;

import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * The partition type GUIDs Basalt writes (UEFI 2.10 table 5.7 and the Discoverable Partitions Specification).
 * Tables read from disk may hold any other type GUID; {@link #of(UUID)} tells whether it is one of these.
 */
public enum PartitionType {
    /** FAT file system holding EFI applications. */
    EFI_SYSTEM("C12A7328-F81F-11D2-BA4B-00A0C93EC93B", "EF00", "EFI system partition"),
    /** Raw space where GRUB puts its core image when booting through BIOS ("Hah!IdontNeedEFI"). */
    BIOS_BOOT("21686148-6449-6E6F-744E-656564454649", "EF02", "BIOS boot partition"),
    /** Any Linux file system or raw data. */
    LINUX_DATA("0FC63DAF-8483-4772-8E79-3D69D8477DE4", "8300", "Linux filesystem");

    private final UUID guid;
    private final String sgdiskCode;
    private final String sgdiskName;

    PartitionType(String guid, String sgdiskCode, String sgdiskName) {
        this.guid = UUID.fromString(guid);
        this.sgdiskCode = sgdiskCode;
        this.sgdiskName = sgdiskName;
    }

    public UUID guid() {
        return guid;
    }

    /** The short code {@code sgdisk -p} prints for this type. */
    public String sgdiskCode() {
        return sgdiskCode;
    }

    /** The name {@code sgdisk -i} prints for this type. */
    public String sgdiskName() {
        return sgdiskName;
    }

    public static Optional<PartitionType> of(UUID guid) {
        return Arrays.stream(values()).filter(t -> t.guid.equals(guid)).findFirst();
    }
}
