package dev.basalt.image.build;

import dev.basalt.image.cpio.CpioEntry;
import dev.basalt.image.cpio.NewcWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Packs a staging directory into an xz-compressed newc cpio archive the kernel unpacks as its initramfs. Entries
 * are sorted, owned by root and stamped with a fixed time, so the same tree gives the same archive.
 * {@code xz --check=crc32} because the kernel's xz decoder supports no other check.
 *
 * <p>Stateless; thread-safe.
 */
final class Initramfs {
    /** A fixed modification time (2024-01-01T00:00:00Z) for reproducible archives. */
    static final long MTIME = 1_704_067_200L;

    private Initramfs() {
    }

    /** Writes {@code stage} plus {@code extra} (device nodes a build user cannot create) to {@code output}. */
    static void write(Path stage, List<CpioEntry> extra, Path output) throws IOException {
        Process xz = new ProcessBuilder("xz", "--check=crc32", "-6", "-T2", "-c")
                .redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream pipe = new BufferedOutputStream(xz.getOutputStream(), 1 << 20);
             NewcWriter cpio = new NewcWriter(pipe)) {
            for (CpioEntry entry : entries(stage)) {
                cpio.write(entry);
            }
            for (CpioEntry entry : extra) {
                cpio.write(entry);
            }
        }
        try {
            if (xz.waitFor() != 0) {
                throw new IOException("xz failed with exit code " + xz.exitValue() + " writing " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted writing " + output, e);
        }
    }

    static List<CpioEntry> entries(Path stage) throws IOException {
        try (Stream<Path> walk = Files.walk(stage)) {
            List<Path> paths = walk.filter(p -> !p.equals(stage)).sorted().toList();
            List<CpioEntry> entries = new java.util.ArrayList<>();
            for (Path path : paths) {
                String name = stage.relativize(path).toString();
                PosixFileAttributes attrs = Files.readAttributes(path, PosixFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                int permissions = bits(attrs.permissions());
                if (attrs.isSymbolicLink()) {
                    entries.add(CpioEntry.symlink(name, Files.readSymbolicLink(path).toString(), MTIME));
                } else if (attrs.isDirectory()) {
                    entries.add(CpioEntry.directory(name, permissions, MTIME));
                } else if (attrs.isRegularFile()) {
                    entries.add(CpioEntry.file(name, permissions, Files.readAllBytes(path), MTIME));
                } else {
                    throw new IOException("cannot pack " + path + " into the initramfs: not a file, directory or"
                            + " symlink");
                }
            }
            return entries;
        }
    }

    private static int bits(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return mode;
    }
}
