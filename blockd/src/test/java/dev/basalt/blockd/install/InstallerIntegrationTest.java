package dev.basalt.blockd.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.blockd.device.FileBlockDevice;
import dev.basalt.blockd.fs.LinuxMounter;
import dev.basalt.blockd.gpt.GptPartition;
import dev.basalt.blockd.layout.SystemPartition;
import dev.basalt.blockd.luks.LuksOptions;
import dev.basalt.blockd.meta.MetaStore;
import dev.basalt.blockd.peer.Sgdisk;
import dev.basalt.blockd.testing.LoopDevice;
import dev.basalt.machinery.exec.Command;
import dev.basalt.machinery.exec.ProcessExec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full install onto a loop device with the real tools (mkfs, grub-install, mount). Needs root. */
@Tag("integration")
class InstallerIntegrationTest {
    private static final long DISK = 3584L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void installsABootableLayoutOntoALoopDevice() throws Exception {
        // grub-install for BIOS maps BOOT's partition to a drive through the kernel's own partition parsing;
        // on kernels without CONFIG_EFI_PARTITION (this build host's) it cannot, whatever device.map says.
        org.junit.jupiter.api.Assumptions.assumeTrue(LoopDevice.kernelParsesGpt(dir),
                "kernel does not parse GPT (CONFIG_EFI_PARTITION unset): grub-install cannot map loop partitions");
        ProcessExec exec = ProcessExec.system();
        LinuxMounter mounter = new LinuxMounter();
        Path kernel = Files.writeString(dir.resolve("vmlinuz"), "not really a kernel");
        Path initramfs = Files.writeString(dir.resolve("initramfs.xz"), "not really an initramfs");
        Path image = dir.resolve("disk.img");
        Path work = dir.resolve("work");
        Path check = Files.createDirectories(dir.resolve("check"));
        byte[] config = "version: v1alpha1\nmachine:\n  type: controlplane\n".getBytes();
        InstallOutcome.Installed installed;
        try (LoopDevice loop = LoopDevice.attach(image, DISK)) {
            Installer installer = new Installer(exec, mounter, work, LuksOptions.defaults(), Duration.ofSeconds(10));
            InstallOutcome outcome = installer.install(new InstallRequest(loop.path(), kernel, initramfs,
                    Path.of("/usr/lib/grub"), "console=ttyS0 basalt.platform=metal", config, List.of(), List.of()));
            assertThat(outcome).isInstanceOf(InstallOutcome.Installed.class);
            installed = (InstallOutcome.Installed) outcome;

            assertThat(blkid(exec, loop.partition(1))).contains("TYPE=\"vfat\"").contains("LABEL=\"EFI\"");
            assertThat(blkid(exec, loop.partition(3))).contains("TYPE=\"xfs\"").contains("LABEL=\"BOOT\"");
            assertThat(blkid(exec, loop.partition(5))).contains("TYPE=\"xfs\"").contains("LABEL=\"STATE\"");
            assertThat(blkid(exec, loop.partition(6))).contains("TYPE=\"xfs\"").contains("LABEL=\"EPHEMERAL\"");

            mounter.mount(loop.partition(3), check, "xfs", "ro");
            try {
                assertThat(Files.readString(check.resolve("A/vmlinuz"))).isEqualTo("not really a kernel");
                assertThat(Files.readString(check.resolve("A/initramfs.xz"))).isEqualTo("not really an initramfs");
                assertThat(Files.readString(check.resolve("grub/grub.cfg")))
                        .contains("set default=\"A - Basalt\"")
                        .contains("linux /A/vmlinuz console=ttyS0 basalt.platform=metal");
                assertThat(check.resolve("grub/i386-pc/normal.mod")).exists();
            } finally {
                mounter.unmount(check);
            }
            // Read the FAT from user space: not every kernel this runs on has vfat.
            String efiDir = exec.check(Command.of("mdir", "-i", loop.partition(1).toString(), "-b",
                    "::/EFI/BOOT")).stdoutText();
            assertThat(efiDir).contains("BOOTX64.EFI");
            mounter.mount(loop.partition(5), check, "xfs", "ro");
            try {
                assertThat(Files.readAllBytes(check.resolve(Installer.CONFIG_FILE))).isEqualTo(config);
            } finally {
                mounter.unmount(check);
            }
        }
        // With the loop device gone, the image itself: sgdisk's verdict, GRUB's BIOS code, META.
        assertThat(Sgdisk.verify(image)).contains("No problems found");
        assertThat(Sgdisk.print(image)).extracting(Sgdisk.Row::name)
                .containsExactly("EFI", "BIOS", "BOOT", "META", "STATE", "EPHEMERAL");
        try (FileBlockDevice dev = FileBlockDevice.open(image)) {
            byte[] mbr = dev.read(0, 512);
            assertThat(mbr[510]).isEqualTo((byte) 0x55);
            assertThat(new String(mbr, 0, 440, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("GRUB");
            GptPartition bios = installed.table().byNumber(SystemPartition.BIOS.number()).orElseThrow();
            assertThat(dev.read(bios.offsetBytes(512), 512)).isNotEqualTo(new byte[512]);
            GptPartition meta = installed.table().byNumber(SystemPartition.META.number()).orElseThrow();
            assertThat(MetaStore.load(dev, meta.offsetBytes(512), meta.sizeBytes(512)).source())
                    .isEqualTo(MetaStore.Source.PRIMARY);
        }
    }

    private static String blkid(ProcessExec exec, Path partition) {
        return exec.check(Command.of("blkid", "-p", partition.toString())).stdoutText();
    }
}
