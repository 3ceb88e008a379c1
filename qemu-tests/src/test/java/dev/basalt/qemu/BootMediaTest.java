package dev.basalt.qemu;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.basalt.qemu.BootTestSupport.BANNER;
import static dev.basalt.qemu.BootTestSupport.BOOT_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The raw disk image boots through GRUB, with legacy BIOS and with UEFI, to maintenance mode. The ISO boots are
 * covered by {@link MaintenanceModeTest}, which also drives the maintenance API (one boot each keeps the suite lean).
 */
@Tag("integration")
class BootMediaTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Firmware.class)
    void rawDiskBootsToMaintenanceMode(Firmware firmware) throws Exception {
        BasaltImage image = BasaltImage.amd64();
        // The guest may write to its disk: boot a copy.
        Path disk = Files.copy(image.raw(), tmp.resolve("disk.raw"));
        try (QemuMachine vm = QemuMachine.builder().disk(disk).firmware(firmware)
                .serialLog(BootTestSupport.logFile("raw-" + firmware.name().toLowerCase())).start()) {
            vm.awaitLine(BANNER, BOOT_TIMEOUT);
            System.out.println("raw disk " + firmware + ": maintenance banner after " + vm.elapsed().toMillis()
                    + " ms");
            assertThat(vm.printed("Kernel panic")).isFalse();
        }
    }
}
