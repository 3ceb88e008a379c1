package dev.basalt.init;

import java.nio.file.Path;

/**
 * Where init finds and puts things. {@link #standard()} is the real initramfs; tests root the same layout in a
 * temporary directory.
 *
 * <p>Immutable; thread-safe.
 *
 * @param root        the initramfs root ({@code /})
 * @param squashfs    the root filesystem image inside the initramfs
 * @param newRoot     where the root filesystem is assembled before switching to it
 * @param machinedArgs the java argument file (path inside the new root) that starts machined
 * @param java        the java launcher (path inside the new root)
 */
public record Layout(Path root, Path squashfs, Path newRoot, String machinedArgs, String java) {
    public static Layout standard() {
        return new Layout(Path.of("/"), Path.of("/rootfs.sqsh"), Path.of("/newroot"),
                "/usr/lib/basalt/machined.args", "/usr/lib/basalt/jre/bin/java");
    }

    public Path inRoot(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    public Path inNewRoot(String absolute) {
        return newRoot.resolve(absolute.substring(1));
    }
}
