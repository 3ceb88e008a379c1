package dev.basalt.qemu;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.basalt.qemu.BootTestSupport.BANNER;
import static dev.basalt.qemu.BootTestSupport.BOOT_TIMEOUT;
import static dev.basalt.qemu.BootTestSupport.DIRECT_ARGS;
import static dev.basalt.qemu.BootTestSupport.EXIT_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boots the kernel and initramfs directly and watches PID 1 on the serial console: init hands over to machined,
 * machined reaches maintenance mode, reaps orphans, shuts down on SIGTERM and Ctrl-Alt-Del (SIGINT), reboots after
 * a fatal error.
 */
@Tag("integration")
class DirectKernelBootTest {
    @TempDir
    Path tmp;

    private QemuMachine.Builder direct(String name, String extraArgs) throws Exception {
        BasaltImage image = BasaltImage.amd64();
        return QemuMachine.builder().kernel(image.kernel()).initrd(image.initramfs())
                .append(DIRECT_ARGS + " " + extraArgs).serialLog(BootTestSupport.logFile(name));
    }

    @Test
    void bootsToMaintenanceModeAndPowersOffOnCtrlAltDelete() throws Exception {
        try (QemuMachine vm = direct("direct-banner", "").monitor(tmp.resolve("monitor.sock")).start()) {
            vm.awaitLine("[basalt] init: switched root; executing machined", BOOT_TIMEOUT);
            vm.awaitLine("[basalt] machined: PID 1 started", BOOT_TIMEOUT);
            vm.awaitLine(BANNER, BOOT_TIMEOUT);
            System.out.println("direct kernel boot: maintenance banner after " + vm.elapsed().toMillis() + " ms");
            vm.awaitLine("[basalt] machined: ready", BOOT_TIMEOUT);

            vm.sendCtrlAltDelete();

            vm.awaitLine("[basalt] shutdown: received SIGINT: stopping services", EXIT_TIMEOUT);
            vm.awaitLine("[basalt] shutdown: powering off", EXIT_TIMEOUT);
            assertThat(vm.awaitExit(EXIT_TIMEOUT)).isZero();
            assertThat(vm.printed("Kernel panic")).isFalse();
        }
    }

    @Test
    void reapsAnOrphanedProcess() throws Exception {
        try (QemuMachine vm = direct("direct-orphan", "basalt.test=orphan").start()) {
            String started = vm.awaitLine("test hook: started orphan maker pid", BOOT_TIMEOUT);
            String reaped = vm.awaitLine("[basalt] reaper: reaped orphan pid", BOOT_TIMEOUT);
            // The orphan is the maker's child, not the maker itself: the JDK collects the maker.
            String makerPid = started.substring(started.lastIndexOf(' ') + 1);
            assertThat(reaped).doesNotContain("pid " + makerPid + " ").contains("exited 0");
            assertThat(vm.printed("Kernel panic")).isFalse();
        }
    }

    @Test
    void shutsDownCleanlyOnSigterm() throws Exception {
        try (QemuMachine vm = direct("direct-sigterm", "basalt.test=sigterm").start()) {
            vm.awaitLine("test hook: sending SIGTERM to PID 1", BOOT_TIMEOUT);
            vm.awaitLine("[basalt] shutdown: received SIGTERM: stopping services", EXIT_TIMEOUT);
            vm.awaitLine("[basalt] shutdown: unmounted", EXIT_TIMEOUT);
            vm.awaitLine("[basalt] shutdown: powering off", EXIT_TIMEOUT);
            assertThat(vm.awaitExit(EXIT_TIMEOUT)).isZero();
            assertThat(vm.lines()).anyMatch(l -> l.contains("reboot: Power down"));
            assertThat(vm.printed("Kernel panic")).isFalse();
        }
    }

    @Test
    void aFatalErrorRebootsInsteadOfPanicking() throws Exception {
        try (QemuMachine vm = direct("direct-fatal", "basalt.test=fatal").start()) {
            vm.awaitLine("[basalt] task testFatal", BOOT_TIMEOUT);
            vm.awaitLine("[basalt] fatal: sequence initialize failed at task testFatal", EXIT_TIMEOUT);
            vm.awaitLine("[basalt] fatal: rebooting in 1 s", EXIT_TIMEOUT);
            vm.awaitLine("[basalt] shutdown: rebooting", EXIT_TIMEOUT);
            // -no-reboot turns the guest's reboot into QEMU exiting.
            assertThat(vm.awaitExit(EXIT_TIMEOUT)).isZero();
            assertThat(vm.lines()).anyMatch(l -> l.contains("reboot: Restarting system"));
            assertThat(vm.printed("Kernel panic")).isFalse();
        }
    }
}
