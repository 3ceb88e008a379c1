package dev.basalt.machinery.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Facts about this build of Basalt, as the Version API reports them: the release tag and the build time
 * written into the jar by the build, the Java runtime, and the OS/architecture names Go uses (which is what
 * Talos clients expect in those fields).
 *
 * @param tag     release, e.g. {@code v0.1.0-SNAPSHOT}
 * @param built   build timestamp (UTC)
 * @param runtime e.g. {@code java 25.0.1}
 * @param os      {@code linux}
 * @param arch    {@code amd64} or {@code arm64}
 */
public record BuildInfo(String tag, String built, String runtime, String os, String arch) {

    /** The facts of the running build. */
    public static BuildInfo current() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("build.properties is missing from the machinery jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read build.properties", e);
        }
        return new BuildInfo("v" + p.getProperty("version"), p.getProperty("built"),
                "java " + Runtime.version(), System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT),
                goArch(System.getProperty("os.arch")));
    }

    static String goArch(String javaArch) {
        return switch (javaArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> javaArch;
        };
    }
}
