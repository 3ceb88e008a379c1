package dev.basalt.init;

/**
 * Mounting and unmounting filesystems (mount(2), umount2(2)).
 *
 * <p>Implementations are stateless towards the caller and safe to call from any thread; the kernel serialises.
 */
public interface Mounts {
    /** mount(2) flags init uses (include/uapi/linux/mount.h). */
    long MS_RDONLY = 1;
    long MS_NOSUID = 2;
    long MS_NODEV = 4;
    long MS_NOEXEC = 8;
    long MS_MOVE = 8192;

    /**
     * Mounts {@code source} on {@code target}.
     *
     * @param data filesystem options, or {@code null} for none
     * @throws NativeCallException when the kernel refuses
     */
    void mount(String source, String target, String fstype, long flags, String data);

    /** Atomically moves the mount at {@code from} to {@code to} (MS_MOVE). */
    default void move(String from, String to) {
        mount(from, to, null, MS_MOVE, null);
    }
}
