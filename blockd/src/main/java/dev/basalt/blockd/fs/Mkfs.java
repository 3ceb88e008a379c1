package dev.basalt.blockd.fs;

import dev.basalt.machinery.exec.Command;
import dev.basalt.machinery.exec.Exec;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Creates and grows the file systems of the system partitions with the standard tools, through {@link Exec}:
 * {@code mkfs.xfs}, {@code mkfs.vfat}, {@code xfs_growfs}.
 *
 * <p>Stateless apart from its executor; thread-safe.
 */
public final class Mkfs {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final Exec exec;

    public Mkfs(Exec exec) {
        this.exec = exec;
    }

    /**
     * XFS with {@code label}, overwriting whatever was there. xfsprogs 5.19+ refuses file systems under 300 MB
     * unless it believes it runs under fstests; STATE is 100 MiB by design (BRIEF section 3), so we set the three
     * variables that check looks for, as Talos does.
     */
    public void xfs(Path device, String label) {
        exec.check(Command.builder("mkfs.xfs").args("-f", "-L", label, device.toString())
                .env("TEST_DIR", "/tmp").env("TEST_DEV", device.toString()).env("QA_CHECK_FS", "1")
                .timeout(TIMEOUT).build());
    }

    /** FAT32 with {@code label} (the EFI system partition). */
    public void vfat(Path device, String label) {
        exec.check(Command.builder("mkfs.vfat").args("-F", "32", "-n", label, device.toString())
                .timeout(TIMEOUT).build());
    }

    /** Grows a mounted XFS to fill its (grown) partition. */
    public void growXfs(Path mountPoint) {
        exec.check(Command.builder("xfs_growfs").arg(mountPoint.toString()).timeout(TIMEOUT).build());
    }
}
