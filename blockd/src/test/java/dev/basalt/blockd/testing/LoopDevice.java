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
