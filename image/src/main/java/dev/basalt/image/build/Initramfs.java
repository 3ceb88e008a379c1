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

    /**
     * Writes {@code stage} plus {@code extra} (device nodes a build user cannot create) as an xz-compressed archive
     * to {@code output}, then appends {@code stored} as a second, uncompressed archive. The kernel unpacks
     * concatenated archives in order (init/initramfs.c); already-compressed members such as the squashfs root
     * gain nothing from xz and would cost build time and boot-time decompression.
     */
    static void write(Path stage, List<CpioEntry> extra, Path output, List<Path> stored) throws IOException {
        writeCompressed(stage, extra, output);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(output,
                java.nio.file.StandardOpenOption.APPEND), 1 << 20)) {
            // A following archive must start 4-byte aligned; the kernel skips zero padding between archives.
            long size = Files.size(output);
            for (long i = size; i % 4 != 0; i++) {
                out.write(0);
            }
            NewcWriter cpio = new NewcWriter(out);
            for (Path file : stored) {
                cpio.write(CpioEntry.file(file.getFileName().toString(), 0644, Files.readAllBytes(file), MTIME));
            }
            cpio.finish();
        }
    }

    private static void writeCompressed(Path stage, List<CpioEntry> extra, Path output) throws IOException {
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
