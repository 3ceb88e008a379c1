package dev.basalt.init;

import java.util.List;

/**
 * The process-level system calls init needs to hand the machine over: changing root, executing machined, and the
 * last-resort reboot.
 *
 * <p>Implementations are safe to call from any thread; chdir/chroot act on the whole process.
 */
public interface Syscalls {
    /** reboot(2) commands (include/uapi/linux/reboot.h). */
    int RB_AUTOBOOT = 0x01234567;
    int RB_POWER_OFF = 0x4321FEDC;

    void chdir(String path);

    void chroot(String path);

    /** Replaces this process image; returns only by throwing. */
    void execve(String path, List<String> argv, List<String> env);

    void sync();

    void reboot(int command);
}
