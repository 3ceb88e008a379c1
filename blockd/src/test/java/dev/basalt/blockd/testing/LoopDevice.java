package dev.basalt.blockd.testing;

import dev.basalt.machinery.exec.Command;
import dev.basalt.machinery.exec.ProcessExec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/** A loop device with partition scanning over a sparse image file, detached on close (needs root). */
public final class LoopDevice implements AutoCloseable {
    private static final ProcessExec EXEC = ProcessExec.system();
    private final Path device;

    private LoopDevice(Path device) {
        this.device = device;
    }

    public static LoopDevice attach(Path image, long sizeBytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(sizeBytes);
        }
        String dev = EXEC.check(Command.of("losetup", "-f", "--show", "-P", image.toString())).stdoutText().strip();
        return new LoopDevice(Path.of(dev));
    }

    /**
     * Whether the running kernel parses GPT itself (CONFIG_EFI_PARTITION). Tools that map partitions back to
     * disks through the kernel's view (grub-install) need it; some build hosts' kernels lack it.
     */
    public static boolean kernelParsesGpt(Path scratch) throws IOException {
        Path image = scratch.resolve("gpt-probe.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(8L * 1024 * 1024);
        }
        EXEC.check(Command.of("sgdisk", "-o", "-n", "1:0:0", image.toString()));
        try (LoopDevice loop = attach(image, 8L * 1024 * 1024)) {
            return java.nio.file.Files.exists(loop.partition(1));
        } finally {
            java.nio.file.Files.deleteIfExists(image);
        }
    }

    public Path path() {
        return device;
    }

    /** The node of partition {@code n}: {@code /dev/loopNpN}. */
    public Path partition(int n) {
        return Path.of(device + "p" + n);
    }

    @Override
    public void close() {
        EXEC.run(Command.of("losetup", "-d", device.toString()));
    }
}
