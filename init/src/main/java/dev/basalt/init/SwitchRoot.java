package dev.basalt.init;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Hands the machine from the initramfs to the assembled root: moves the pseudo-filesystems into it, frees the
 * initramfs' memory by deleting its files (never crossing into another filesystem), makes the new root {@code /}
 * and changes into it — the same steps as util-linux' switch_root.
 *
 * <p>Not thread-safe: run once by init's single thread.
 */
public final class SwitchRoot {
    /** Mounts carried over into the new root, in this order. */
    public static final List<String> CARRIED_MOUNTS = List.of("/dev", "/proc", "/sys", "/run");

    private final Mounts mounts;
    private final Syscalls syscalls;

    public SwitchRoot(Mounts mounts, Syscalls syscalls) {
        this.mounts = mounts;
        this.syscalls = syscalls;
    }

    public void moveMounts(Layout layout) throws IOException {
        for (String mount : CARRIED_MOUNTS) {
            Path target = layout.inNewRoot(mount);
            if (!Files.isDirectory(target)) {
                throw new IllegalStateException("new root has no " + mount + " directory to move " + mount
                        + " onto (" + target + ")");
            }
            mounts.move(layout.inRoot(mount).toString(), target.toString());
        }
    }

    /**
     * Deletes everything on the initramfs' filesystem except the new root; returns how many entries went.
     * Directories on another filesystem (mount points) are left alone.
     */
    public static long deleteInitramfs(Layout layout) throws IOException {
        Object rootDevice = Files.getAttribute(layout.root(), "unix:dev");
        long[] deleted = {0};
        Files.walkFileTree(layout.root(), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(layout.newRoot())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (!Files.getAttribute(dir, "unix:dev", java.nio.file.LinkOption.NOFOLLOW_LINKS).equals(rootDevice)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                deleted[0]++;
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (!dir.equals(layout.root())) {
                    try {
                        Files.delete(dir);
                        deleted[0]++;
                    } catch (java.nio.file.DirectoryNotEmptyException e) {
                        // Holds a mount point or the new root: it stays.
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return deleted[0];
    }

    /** Makes the new root {@code /}: chdir into it, move it over {@code /}, chroot to it. */
    public void enter(Layout layout) {
        syscalls.chdir(layout.newRoot().toString());
        mounts.move(".", "/");
        syscalls.chroot(".");
        syscalls.chdir("/");
    }
}
