package dev.basalt.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The built image artifacts in the repository's {@code _out/}. When they are missing (a fresh clone), the first
 * caller builds them with {@code bin/build-image}, once per JVM.
 *
 * <p>Thread-safe: building is serialised.
 *
 * @param kernel    vmlinuz
 * @param initramfs initramfs (xz)
 * @param iso       the hybrid BIOS/UEFI ISO
 * @param raw       the GPT disk image
 */
public record BasaltImage(Path kernel, Path initramfs, Path iso, Path raw) {
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(40);
    private static BasaltImage built;

    /** The repository root: the nearest ancestor of the working directory holding bin/build-image. */
    public static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("bin/build-image"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no bin/build-image in " + Path.of("").toAbsolutePath() + " or above");
    }

    public static synchronized BasaltImage amd64() throws IOException, InterruptedException {
        if (built != null) {
            return built;
        }
        Path root = repositoryRoot();
        Path out = root.resolve("_out");
        BasaltImage image = new BasaltImage(out.resolve("vmlinuz-amd64"), out.resolve("initramfs-amd64.xz"),
                out.resolve("basalt-amd64.iso"), out.resolve("basalt-amd64.raw"));
        if (!image.complete()) {
            Path log = root.resolve("qemu-tests/target/build-image.log");
            Files.createDirectories(log.getParent());
            Process build = new ProcessBuilder(List.of(root.resolve("bin/build-image").toString()))
                    .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!build.waitFor(BUILD_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
                build.destroyForcibly();
                throw new IllegalStateException("bin/build-image did not finish within " + BUILD_TIMEOUT.toMinutes()
                        + " minutes (log: " + log + ")");
            }
            if (build.exitValue() != 0 || !image.complete()) {
                throw new IllegalStateException("bin/build-image failed with exit code " + build.exitValue()
                        + " (log: " + log + ")");
            }
        }
        built = image;
        return image;
    }

    private boolean complete() {
        return Files.isRegularFile(kernel) && Files.isRegularFile(initramfs) && Files.isRegularFile(iso)
                && Files.isRegularFile(raw);
    }
}
