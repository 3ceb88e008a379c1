package dev.basalt.image.build;

import dev.basalt.image.host.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Links a trimmed Java runtime with jlink from the build's JDK (from its run-time image: Temurin ships no jmods),
 * without debug symbols, man pages or headers, and with a CDS archive of the linked modules' classes so the JVM
 * starts faster.
 *
 * <p>Stateless; thread-safe.
 */
final class Jre {
    /**
     * What the Basalt daemons need beyond what jdeps finds in their jars: logging for grpc, JNDI for grpc's DNS
     * resolver, sun.misc.Unsafe and Signal (jdk.unsupported) for netty and machined, EC for TLS.
     */
    static final Set<String> DAEMON_BASELINE = Set.of("java.base", "java.logging", "java.naming",
            "jdk.unsupported", "jdk.crypto.ec", "java.management");

    private Jre() {
    }

    /** The modules jdeps finds in {@code jars}, plus {@code baseline}. */
    static Set<String> modulesFor(Path jdk, List<Path> jars, Set<String> baseline) throws IOException {
        Set<String> modules = new TreeSet<>(baseline);
        if (jars.isEmpty()) {
            return modules;
        }
        List<String> argv = new ArrayList<>(List.of(jdk.resolve("bin/jdeps").toString(), "--ignore-missing-deps",
                "--multi-release", "25", "--print-module-deps"));
        for (Path jar : jars) {
            argv.add(jar.toString());
        }
        String output = Command.run(null, argv).trim();
        String last = output.substring(output.lastIndexOf('\n') + 1).trim();
        for (String module : last.split(",")) {
            if (module.matches("[a-z][a-z0-9.]*")) {
                modules.add(module);
            }
        }
        return modules;
    }

    static void link(Path jdk, Set<String> modules, Path output) throws IOException {
        if (Files.exists(output)) {
            throw new IOException("jlink output " + output + " already exists");
        }
        Files.createDirectories(output.getParent());
        Command.run(null, List.of(jdk.resolve("bin/jlink").toString(),
                "--add-modules", String.join(",", modules),
                "--strip-debug", "--no-man-pages", "--no-header-files", "--compress=zip-6",
                "--strip-native-debug-symbols", "objcopy=" + objcopy(),
                "--generate-cds-archive",
                "--output", output.toString()));
        // The archive for heaps over 32 GiB (no compressed oops): a node's daemons never run with one.
        Files.deleteIfExists(output.resolve("lib/server/classes_nocoops.jsa"));
        // jlink's objcopy pass drops debug sections only; the static symbol tables (a third of libjvm.so) go
        // too. Dynamic symbols, which JNI and the launcher resolve, stay.
        List<String> strip = new ArrayList<>(List.of(Path.of(objcopy()).resolveSibling("strip").toString(),
                "--strip-unneeded"));
        try (var files = Files.walk(output.resolve("lib"))) {
            files.filter(p -> p.toString().endsWith(".so")).forEach(p -> strip.add(p.toString()));
        }
        Command.run(null, strip);
    }

    private static String objcopy() throws IOException {
        for (String dir : List.of("/usr/bin", "/bin")) {
            Path candidate = Path.of(dir, "objcopy");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IOException("objcopy not found (install binutils): jlink needs it to strip native debug symbols");
    }
}
