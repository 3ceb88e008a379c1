package dev.basalt.image.build;

import dev.basalt.image.elf.ElfDynamicInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Copies into a staging tree the shared libraries its ELF files need (DT_NEEDED, transitively) from the unpacked
 * Debian packages, so the image holds exactly the libraries its programs load. A soname found neither in the
 * tree nor in the packages fails the build, naming who needs it.
 *
 * <p>Not thread-safe.
 */
final class LibraryResolver {
    private final Path pool;
    private final Arch arch;

    LibraryResolver(Path pool, Arch arch) {
        this.pool = pool;
        this.arch = arch;
    }

    private List<Path> searchDirectories(Path root) {
        return List.of(root.resolve("usr/lib/" + arch.multiarch), root.resolve("lib/" + arch.multiarch),
                root.resolve("usr/lib"));
    }

    /**
     * Resolves every ELF under {@code stage}. Libraries a file's own directory tree already holds (the JRE's
     * {@code lib/}, found through its $ORIGIN run path) count as present.
     *
     * @return the sonames copied in
     */
    Set<String> resolve(Path stage) throws IOException {
        Set<String> present = new LinkedHashSet<>();
        Deque<Path> work = new ArrayDeque<>();
        try (Stream<Path> files = Files.walk(stage)) {
            for (Path file : files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                if (ElfDynamicInfo.isElf(file)) {
                    work.add(file);
                    present.add(file.getFileName().toString());
                }
            }
        }
        Set<String> copied = new LinkedHashSet<>();
        Path libDir = stage.resolve("usr/lib/" + arch.multiarch);
        while (!work.isEmpty()) {
            Path file = work.poll();
            ElfDynamicInfo info = ElfDynamicInfo.read(file);
            for (String soname : info.needed()) {
                if (present.contains(soname)) {
                    continue;
                }
                Path source = find(soname).orElseThrow(() -> new IOException(stage.relativize(file) + " needs "
                        + soname + ", which no unpacked package provides (add its library package to the image's "
                        + "package list)"));
                Files.createDirectories(libDir);
                Path target = libDir.resolve(soname);
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                present.add(soname);
                copied.add(soname);
                work.add(target);
            }
        }
        return copied;
    }

    private java.util.Optional<Path> find(String soname) {
        for (Path dir : searchDirectories(pool)) {
            Path candidate = dir.resolve(soname);
            if (Files.exists(candidate)) {
                return java.util.Optional.of(candidate);
            }
        }
        return java.util.Optional.empty();
    }

    /** Installs the program interpreter at its canonical path ({@code /lib64/ld-linux-x86-64.so.2}). */
    void installLoader(Path stage) throws IOException {
        Path source = find(arch.loader).orElseThrow(() -> new IOException("no " + arch.loader
                + " in the unpacked libc6 package"));
        Path libDir = stage.resolve("usr/lib/" + arch.multiarch);
        Files.createDirectories(libDir);
        Files.copy(source, libDir.resolve(arch.loader), StandardCopyOption.REPLACE_EXISTING);
        Path canonical = stage.resolve(arch.loaderDirectory).resolve(arch.loader);
        if (!Files.exists(canonical, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(canonical.getParent());
            Files.createSymbolicLink(canonical, Path.of("/usr/lib/" + arch.multiarch + "/" + arch.loader));
        }
    }
}
