package dev.basalt.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Shared settings of the boot tests. */
final class BootTestSupport {
    /** Kernel to maintenance banner under TCG takes ~20-40 s on a quiet 2-core machine; leave room for a busy one. */
    static final Duration BOOT_TIMEOUT = Duration.ofSeconds(240);
    static final Duration EXIT_TIMEOUT = Duration.ofSeconds(90);
    static final String BANNER = "maintenance mode: no machine config";
    /** Kernel command line of direct boots: serial console, and a dying PID 1 ends QEMU instead of hanging. */
    static final String DIRECT_ARGS = "console=ttyS0 panic=-1 basalt.fatal_reboot_delay=1";

    private BootTestSupport() {
    }

    static Path logFile(String name) throws IOException {
        Path dir = BasaltImage.repositoryRoot().resolve("qemu-tests/target/serial");
        Files.createDirectories(dir);
        return dir.resolve(name + ".log");
    }
}
