package dev.basalt.image.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host tool (apt-get, dpkg, mksquashfs, xz, grub-mkrescue, ...) to completion and fails with the command
 * line and the end of its output when it does not succeed.
 *
 * <p>Stateless; thread-safe.
 */
public final class Command {
    private static final long TIMEOUT_MINUTES = 20;
    private static final int OUTPUT_TAIL = 4000;

    private Command() {
    }

    /** Runs {@code argv} in {@code directory}; returns its standard output (stderr merged). */
    public static String run(Path directory, List<String> argv) throws IOException {
        return run(directory, argv, Map.of());
    }

    public static String run(Path directory, List<String> argv, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(argv)).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("cannot start " + argv.getFirst() + " (is it installed?): " + e.getMessage(), e);
        }
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", argv) + ": still running after " + TIMEOUT_MINUTES
                        + " minutes; killed");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + argv.getFirst(), e);
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            String tail = text.length() > OUTPUT_TAIL ? "..." + text.substring(text.length() - OUTPUT_TAIL) : text;
            throw new IOException(String.join(" ", argv) + " failed with exit code " + process.exitValue() + ":\n"
                    + tail);
        }
        return text;
    }
}
