package dev.basalt.machinery.exec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a finished process left behind: its exit status, everything it wrote and how long it ran.
 *
 * <p>Immutable and thread-safe (the byte arrays are copied in and out).
 *
 * @param exitCode the exit status; 128+N when it was killed by signal N
 */
public record Result(int exitCode, byte[] stdout, byte[] stderr, Duration duration) {
    public Result {
        stdout = stdout.clone();
        stderr = stderr.clone();
        Objects.requireNonNull(duration, "duration");
    }

    /** A successful run that printed {@code stdout}, for fakes. */
    public static Result ok(String stdout) {
        return new Result(0, stdout.getBytes(StandardCharsets.UTF_8), new byte[0], Duration.ZERO);
    }

    /** A failed run that printed {@code stderr}, for fakes. */
    public static Result failed(int exitCode, String stderr) {
        return new Result(exitCode, new byte[0], stderr.getBytes(StandardCharsets.UTF_8), Duration.ZERO);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    @Override
    public byte[] stdout() {
        return stdout.clone();
    }

    @Override
    public byte[] stderr() {
        return stderr.clone();
    }

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Result r && exitCode == r.exitCode && Arrays.equals(stdout, r.stdout)
                && Arrays.equals(stderr, r.stderr) && duration.equals(r.duration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(exitCode, Arrays.hashCode(stdout), Arrays.hashCode(stderr), duration);
    }

    @Override
    public String toString() {
        return "Result[exit=" + exitCode + ", stdout=" + stdout.length + " bytes, stderr=" + stderr.length
                + " bytes, duration=" + duration + "]";
    }
}
