package dev.basalt.image.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Copies a jar into the image without the native libraries it bundles for other systems (netty's tcnative and
 * epoll builds for macOS, Windows and other CPUs under {@code META-INF/native/}): the node only ever loads the
 * Linux build for its own architecture.
 *
 * <p>Stateless; thread-safe.
 */
final class NativeLibraryTrimmer {
    private NativeLibraryTrimmer() {
    }

    /** Whether a jar entry is a bundled native library for another OS or CPU than {@code arch}. */
    static boolean foreignNative(String entry, Arch arch) {
        if (!entry.startsWith("META-INF/native/") || entry.endsWith("/")) {
            return false;
        }
        String name = entry.substring(entry.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (name.endsWith(".dll") || name.endsWith(".jnilib") || name.endsWith(".dylib") || name.contains("osx")
                || name.contains("windows")) {
            return true;
        }
        String own = arch == Arch.AMD64 ? "x86_64" : "aarch_64";
        String other = arch == Arch.AMD64 ? "aarch_64" : "x86_64";
        return name.endsWith(".so") && name.contains(other) && !name.contains(own);
    }

    /** Copies {@code jar} to {@code target}, leaving out foreign natives; returns the bytes saved. */
    static long copy(Path jar, Path target, Arch arch) throws IOException {
        boolean any;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            any = zip.stream().anyMatch(e -> foreignNative(e.getName(), arch));
        }
        if (!any) {
            Files.copy(jar, target);
            return 0;
        }
        try (ZipFile zip = new ZipFile(jar.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (ZipEntry entry : zip.stream().toList()) {
                if (foreignNative(entry.getName(), arch)) {
                    continue;
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                try (InputStream in = zip.getInputStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return Files.size(jar) - Files.size(target);
    }
}
