package dev.basalt.machined.system;

import java.util.OptionalInt;

/**
 * The system calls machined needs as PID 1: reaping children, signalling, syncing, unmounting and rebooting.
 * One implementation goes through the C library ({@code dev.basalt.machined.system.linux.LinuxKernel}); logic is
 * tested against fakes.
 *
 * <p>Implementations must be thread-safe.
 */
public interface Kernel {
    /** reboot(2) commands (include/uapi/linux/reboot.h, glibc sys/reboot.h). */
    int RB_AUTOBOOT = 0x01234567;
    int RB_POWER_OFF = 0x4321FEDC;
    /** Ctrl-Alt-Del then sends SIGINT to PID 1 instead of rebooting at once. */
    int RB_DISABLE_CAD = 0;

    int SIGINT = 2;
    int SIGKILL = 9;
    int SIGTERM = 15;

    /** umount2(2) flag: detach now, clean up when no longer busy. */
    int MNT_DETACH = 2;

    /**
     * waitpid(pid, WNOHANG): collects {@code pid} if it has exited.
     *
     * @return its raw wait status, or empty when it is still running or is not our child
     */
    OptionalInt reap(long pid);

    void kill(long pid, int signal);

    void sync();

    /** umount2(2); throws {@link SystemCallException} on failure. */
    void unmount(String target, int flags);

    /** reboot(2); returns only if the kernel refused (or for {@link #RB_DISABLE_CAD}). */
    void reboot(int command);
}
