package dev.basalt.image.build;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Does for a disk image file what grub-bios-setup does for a disk: writes GRUB's core image into the BIOS boot
 * partition and GRUB's boot sector into the MBR, keeping the MBR's partition table, and links them: the boot
 * sector learns the core image's first sector, the core image's first sector (diskboot) learns where the rest is.
 * Offsets are GRUB's (include/grub/i386/pc/boot.h, grub-core/boot/i386/pc/diskboot.S).
 *
 * <p>Stateless; thread-safe.
 */
final class GrubBiosInstall {
    /** boot.img: where the 64-bit LBA of the core image's first sector goes. */
    static final int KERNEL_SECTOR_OFFSET = 0x5c;
    /** boot.img: the jump that skips the boot drive check; NOPs make GRUB trust the BIOS' drive number. */
    static final int DRIVE_CHECK_OFFSET = 0x66;
    /** boot.img: end of the code area; the disk signature and partition table follow and stay untouched. */
    static final int MBR_CODE_END = 0x1b8;
    /** diskboot: the first block list entry sits at the end of the core image's first sector. */
    static final int BLOCKLIST_OFFSET = 512 - 12;
    static final int CORE_SEGMENT = 0x820;

    private GrubBiosInstall() {
    }

    static void install(Path bootImg, Path coreImg, Path disk, long partitionStart, long partitionSectors)
            throws IOException {
        byte[] boot = Files.readAllBytes(bootImg);
        byte[] core = Files.readAllBytes(coreImg);
        if (boot.length != 512) {
            throw new IOException(bootImg + " is " + boot.length + " bytes; expected GRUB's 512-byte boot.img");
        }
        int coreSectors = (core.length + 511) / 512;
        if (coreSectors > partitionSectors) {
            throw new IOException("GRUB core image needs " + coreSectors + " sectors; the BIOS boot partition has "
                    + partitionSectors);
        }
        byte[] padded = new byte[coreSectors * 512];
        System.arraycopy(core, 0, padded, 0, core.length);
        ByteBuffer list = ByteBuffer.wrap(padded).order(ByteOrder.LITTLE_ENDIAN);
        list.putLong(BLOCKLIST_OFFSET, partitionStart + 1);
        list.putShort(BLOCKLIST_OFFSET + 8, (short) (coreSectors - 1));
        list.putShort(BLOCKLIST_OFFSET + 10, (short) CORE_SEGMENT);

        ByteBuffer mbrCode = ByteBuffer.wrap(boot).order(ByteOrder.LITTLE_ENDIAN);
        mbrCode.putLong(KERNEL_SECTOR_OFFSET, partitionStart);
        boot[DRIVE_CHECK_OFFSET] = (byte) 0x90;
        boot[DRIVE_CHECK_OFFSET + 1] = (byte) 0x90;

        try (RandomAccessFile out = new RandomAccessFile(disk.toFile(), "rw")) {
            out.seek(0);
            out.write(boot, 0, MBR_CODE_END);
            out.seek(partitionStart * 512);
            out.write(padded);
        }
    }
}
