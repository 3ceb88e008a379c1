package dev.basalt.machined.services;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Healthy when a program exits 0 within the timeout (for example {@code ctr version} against containerd's
 * socket). The program is executed directly, without a shell, with an empty environment unless one is given.
 *
 * <p>Immutable; thread-safe.
 */
public record ExecHealthCheck(List<String> command, java.util.Map<String, String> environment, Duration period,
                              Duration timeout, ProcessLauncher launcher) implements HealthCheck {
    private static final int KEEP_OUTPUT = 512;

    public ExecHealthCheck {
        command = List.copyOf(command);
        environment = java.util.Map.copyOf(environment);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("exec health check needs a program to run");
        }
    }

    public ExecHealthCheck(List<String> command) {
        this(command, java.util.Map.of(), Duration.ofSeconds(5), Duration.ofSeconds(3), ProcessLauncher.DIRECT);
    }

    @Override
    public HealthResult probe(Duration deadline) throws InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(environment);
        Process p;
        try {
            p = launcher.launch(pb);
        } catch (IOException e) {
            return HealthResult.unhealthy("cannot run " + command.getFirst() + ": " + e.getMessage());
        }
        try {
            p.getOutputStream().close();
            if (!p.waitFor(deadline.toNanos(), TimeUnit.NANOSECONDS)) {
                p.destroyForcibly();
                return HealthResult.unhealthy(String.join(" ", command) + " did not finish within "
                        + deadline.toMillis() + " ms");
            }
            String out = readSome(p.getInputStream());
            if (p.exitValue() == 0) {
                return HealthResult.healthy(out.isBlank() ? "ok" : out);
            }
            return HealthResult.unhealthy(String.join(" ", command) + " exited with status " + p.exitValue()
                    + (out.isBlank() ? "" : ": " + out));
        } catch (IOException e) {
            return HealthResult.unhealthy("reading output of " + command.getFirst() + ": " + e.getMessage());
        } finally {
            p.destroyForcibly();
        }
    }

    private static String readSome(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(KEEP_OUTPUT);
        return new String(bytes, StandardCharsets.UTF_8).strip();
    }
}
