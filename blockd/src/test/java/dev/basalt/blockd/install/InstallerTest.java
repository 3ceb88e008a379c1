package dev.basalt.blockd.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.blockd.fs.Mounter;
import dev.basalt.blockd.layout.SystemLayout;
import dev.basalt.blockd.layout.SystemPartition;
import dev.basalt.blockd.luks.LuksOptions;
import dev.basalt.machinery.exec.ScriptedExec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallerTest {
    @TempDir
    Path dir;

    private final ScriptedExec exec = new ScriptedExec();
    private final List<String> mounts = new ArrayList<>();
    private final Mounter mounter = new Mounter() {
        @Override
        public void mount(Path source, Path target, String fsType, String options) {
            mounts.add("mount " + source);
        }

        @Override
        public void unmount(Path target) {
            mounts.add("unmount " + target);
        }
    };

    @Test
    void missingDiskIsRejectedAndNothingRuns() throws Exception {
        InstallOutcome outcome = installer().install(request(dir.resolve("no-such-disk")));
        assertThat(outcome).isEqualTo(new InstallOutcome.Rejected("install disk " + dir.resolve("no-such-disk")
                + " does not exist"));
        assertThat(exec.calls()).isEmpty();
        assertThat(mounts).isEmpty();
    }

    @Test
    void tooSmallDiskIsRejectedWithSizesAndLeftByteForByteUntouched() throws Exception {
        Path disk = dir.resolve("small.img");
        byte[] content = new byte[64 * 1024 * 1024];
        new Random(7).nextBytes(content);
        Files.write(disk, content);
        byte[] before = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(disk));

        InstallOutcome outcome = installer().install(request(disk));

        assertThat(outcome).isInstanceOfSatisfying(InstallOutcome.Rejected.class, r -> assertThat(r.reason())
                .contains("install disk " + disk + " is too small")
                .contains("needs at least " + SystemLayout.minimumDiskBytes(512) + " bytes")
                .contains("the disk has 67108864 bytes"));
        assertThat(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(disk))).isEqualTo(before);
        assertThat(exec.calls()).isEmpty();
    }

    @Test
    void missingKernelIsRejectedBeforeTheDiskIsOpened() throws Exception {
        Path disk = dir.resolve("big.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(SystemLayout.minimumDiskBytes(512));
        }
        InstallRequest r = new InstallRequest(disk, dir.resolve("vmlinuz-missing"), dir.resolve("initramfs"),
                Path.of("/usr/lib/grub"), "console=ttyS0", "version: v1alpha1\n".getBytes(), List.of(), List.of());
        assertThat(installer().install(r)).isInstanceOfSatisfying(InstallOutcome.Rejected.class,
                x -> assertThat(x.reason()).contains("vmlinuz-missing").contains("not a readable file"));
        assertThat(Files.size(disk)).isEqualTo(SystemLayout.minimumDiskBytes(512));
        assertThat(exec.calls()).isEmpty();
    }

    @Test
    void failingToolNamesTheStepAndUnmountsWhatWasMounted() throws Exception {
        Path disk = dir.resolve("fits.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(SystemLayout.minimumDiskBytes(512));
        }
        exec.on("mkfs.vfat", dev.basalt.machinery.exec.Result.ok(""))
                .on("mkfs.xfs", dev.basalt.machinery.exec.Result.ok(""))
                .on("grub-install", dev.basalt.machinery.exec.Result.failed(1,
                        "grub-install: error: cannot find a GRUB drive for " + disk));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> installer().install(request(disk)))
                .isInstanceOf(InstallException.class)
                .hasMessageContaining("failed at step 'install GRUB for BIOS'")
                .hasMessageContaining("cannot find a GRUB drive");
        assertThat(mounts).containsExactly(
                "mount " + Installer.partitionNode(disk, SystemPartition.BOOT),
                "unmount " + dir.resolve("work/boot"));
    }

    @Test
    void partitionNodesFollowKernelNaming() {
        assertThat(Installer.partitionNode(Path.of("/dev/sda"), SystemPartition.STATE)).isEqualTo(Path.of("/dev/sda5"));
        assertThat(Installer.partitionNode(Path.of("/dev/nvme0n1"), SystemPartition.EFI))
                .isEqualTo(Path.of("/dev/nvme0n1p1"));
        assertThat(Installer.partitionNode(Path.of("/dev/loop3"), SystemPartition.EPHEMERAL))
                .isEqualTo(Path.of("/dev/loop3p6"));
    }

    private Installer installer() {
        return new Installer(exec, mounter, dir.resolve("work"), LuksOptions.defaults(), Duration.ofSeconds(1));
    }

    private InstallRequest request(Path disk) throws IOException {
        Path kernel = Files.writeString(dir.resolve("vmlinuz"), "kernel");
        Path initramfs = Files.writeString(dir.resolve("initramfs"), "initramfs");
        return new InstallRequest(disk, kernel, initramfs, Path.of("/usr/lib/grub"), "console=ttyS0",
                "version: v1alpha1\n".getBytes(), List.of(), List.of());
    }
}
