package dev.basalt.blockd.fs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Mounts and unmounts file systems for blockd's own work (filling BOOT and STATE during install, EPHEMERAL at
 * boot). The one implementation is {@link LinuxMounter} (mount(2)/umount2(2) through {@code java.lang.foreign});
 * the installer's unit tests use a fake.
 *
 * <p>Implementations are thread-safe.
 */
public interface Mounter {
    /** Mounts {@code source} of type {@code fsType} at {@code target} (which must exist). */
    void mount(Path source, Path target, String fsType, String options) throws IOException;

    /** Mounts {@code source} read-only (an install medium, a CD-ROM that refuses writers). */
    default void mountReadOnly(Path source, Path target, String fsType) throws IOException {
        throw new IOException("read-only mounts are not supported by " + getClass().getSimpleName());
    }

    void unmount(Path target) throws IOException;
}
