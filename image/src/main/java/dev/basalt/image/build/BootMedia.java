package dev.basalt.image.build;

import dev.basalt.image.host.Command;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Bootable media around a kernel and initramfs, using the host's GRUB images: a hybrid ISO (grub-mkrescue: El
 * Torito BIOS + EFI system image) and a GPT disk image with an EFI system partition (FAT, GRUB EFI, kernel,
 * initramfs, grub.cfg) and a BIOS boot partition holding GRUB's core image for legacy boot.
 *
 * <p>Stateless; thread-safe.
 */
final class BootMedia {
    private static final long MIB = 1024 * 1024;
    private static final String GRUB_MODULES = "part_gpt part_msdos fat iso9660 normal linux configfile search "
            + "search_fs_file echo test serial terminal";

    private BootMedia() {
    }

    static String grubConfig(String kernelPath, String initrdPath, String kernelArgs) {
        return """
                serial --unit=0 --speed=115200
                terminal_input serial console
                terminal_output serial console
                set timeout=0
                set default=0
                menuentry "Basalt" {
                  linux %s %s
                  initrd %s
                }
                """.formatted(kernelPath, kernelArgs, initrdPath);
    }

    static void iso(Path work, Path kernel, Path initramfs, String kernelArgs, Path output) throws IOException {
        Path boot = work.resolve("boot");
        Files.createDirectories(boot.resolve("grub"));
        Files.copy(kernel, boot.resolve("vmlinuz"));
        Files.copy(initramfs, boot.resolve("initramfs.xz"));
        Files.writeString(boot.resolve("grub/grub.cfg"),
                grubConfig("/boot/vmlinuz", "/boot/initramfs.xz", kernelArgs));
        Files.deleteIfExists(output);
        // Only the GRUB modules the boot needs, no fonts, locales or themes: the ISO holds them twice (BIOS, EFI).
        Command.run(null, List.of("grub-mkrescue", "-o", output.toString(), "--install-modules=" + GRUB_MODULES
, "--fonts=", "--locales=", "--themes=", "--compress=xz", work.toString(),
                "--", "-volid", "BASALT"));
    }

    /**
     * GPT disk: partition 1 EFI (FAT32, everything needed to boot), partition 2 BIOS boot (GRUB core image,
     * legacy-bootable attribute), as in Basalt's install layout.
     */
    static void rawDisk(Path work, Path kernel, Path initramfs, String kernelArgs, Path output) throws IOException {
        Files.createDirectories(work);
        long payload = Files.size(kernel) + Files.size(initramfs);
        long espMib = Math.max(100, (payload * 5 / 4) / MIB + 16);
        long firstLba = 2048;
        long espSectors = espMib * MIB / 512;
        long biosStart = firstLba + espSectors;
        long biosSectors = MIB / 512;
        long totalBytes = (biosStart + biosSectors) * 512 + MIB; // room for the backup GPT
        Files.deleteIfExists(output);
        try (RandomAccessFile file = new RandomAccessFile(output.toFile(), "rw")) {
            file.setLength(totalBytes);
        }
        Command.run(null, List.of("sgdisk", "--zap-all",
                "-n", "1:" + firstLba + ":" + (biosStart - 1), "-t", "1:EF00", "-c", "1:EFI",
                "-n", "2:" + biosStart + ":" + (biosStart + biosSectors - 1), "-t", "2:EF02", "-c", "2:BIOS",
                "-A", "2:set:2", output.toString()));

        // The EFI system partition, built as a file and copied into place.
        Path esp = work.resolve("esp.img");
        Command.run(null, List.of("mkfs.vfat", "-F", "32", "-n", "EFI", "-C", esp.toString(),
                Long.toString(espMib * 1024)));
        Path grubCfg = work.resolve("grub.cfg");
        Files.writeString(grubCfg, grubConfig("/boot/vmlinuz", "/boot/initramfs.xz", kernelArgs));
        // An early config that finds the partition holding the kernel, whichever disk number the firmware gives it.
        Path early = work.resolve("early.cfg");
        Files.writeString(early, "search --no-floppy --file --set=root /boot/basalt.id\n"
                + "set prefix=($root)/boot/grub\nconfigfile ($root)/boot/grub/grub.cfg\n");
        Path marker = work.resolve("basalt.id");
        Files.writeString(marker, "basalt\n");
        Path efi = work.resolve("BOOTX64.EFI");
        Command.run(null, concat(List.of("grub-mkimage", "-O", "x86_64-efi", "-o", efi.toString(), "-c",
                early.toString(), "-p", "/boot/grub"), GRUB_MODULES.split(" ")));
        String img = esp.toString();
        Command.run(null, List.of("mmd", "-i", img, "::/EFI", "::/EFI/BOOT", "::/boot", "::/boot/grub"));
        Command.run(null, List.of("mcopy", "-i", img, efi.toString(), "::/EFI/BOOT/BOOTX64.EFI"));
        Command.run(null, List.of("mcopy", "-i", img, grubCfg.toString(), "::/boot/grub/grub.cfg"));
        Command.run(null, List.of("mcopy", "-i", img, marker.toString(), "::/boot/basalt.id"));
        Command.run(null, List.of("mcopy", "-i", img, kernel.toString(), "::/boot/vmlinuz"));
        Command.run(null, List.of("mcopy", "-i", img, initramfs.toString(), "::/boot/initramfs.xz"));
        copyInto(esp, output, firstLba * 512);

        // Legacy BIOS: GRUB's core image in the BIOS boot partition, boot.img in the MBR pointing at it.
        Path core = work.resolve("core.img");
        Command.run(null, concat(List.of("grub-mkimage", "-O", "i386-pc", "-o", core.toString(), "-c",
                early.toString(), "-p", "/boot/grub", "biosdisk"), GRUB_MODULES.split(" ")));
        GrubBiosInstall.install(Path.of("/usr/lib/grub/i386-pc/boot.img"), core, output, biosStart, biosSectors);
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    private static void copyInto(Path source, Path disk, long offset) throws IOException {
        try (RandomAccessFile out = new RandomAccessFile(disk.toFile(), "rw");
             var in = Files.newInputStream(source)) {
            out.seek(offset);
            byte[] buffer = new byte[1 << 20];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        }
    }
}
