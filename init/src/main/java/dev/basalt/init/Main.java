package dev.basalt.init;

import dev.basalt.init.linux.LinuxLoopDevices;
import dev.basalt.init.linux.LinuxModules;
import dev.basalt.init.linux.LinuxMounts;
import dev.basalt.init.linux.LinuxSyscalls;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of the initramfs' {@code /init}. As PID 1 it must never return: on failure it reports, syncs, waits so
 * the message can be read, and reboots (the kernel would panic if PID 1 exited).
 */
public final class Main {
    private static final long FAILURE_REBOOT_DELAY_MILLIS = 10_000;

    private Main() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        Console console = new Console(out, start);
        console.info("Basalt init starting (pid " + ProcessHandle.current().pid() + ")");
        LinuxSyscalls syscalls = new LinuxSyscalls();
        try {
            new Init(Layout.standard(), new LinuxMounts(), new LinuxModules(), new LinuxLoopDevices(), syscalls,
                    console).run();
        } catch (Throwable t) {
            console.error("boot failed; rebooting in " + FAILURE_REBOOT_DELAY_MILLIS / 1000 + " s", t);
            t.printStackTrace(out);
        }
        try {
            syscalls.sync();
            Thread.sleep(FAILURE_REBOOT_DELAY_MILLIS);
            syscalls.reboot(Syscalls.RB_AUTOBOOT);
        } catch (Throwable t) {
            console.error("reboot failed", t);
        }
        // Never return: PID 1 exiting panics the kernel.
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException ignored) {
                // keep waiting
            }
        }
    }
}
