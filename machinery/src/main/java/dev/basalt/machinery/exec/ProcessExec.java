package dev.basalt.machinery.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@link Exec} through {@link ProcessBuilder}.
 *
 * <p>Programs given by bare name are resolved on an explicit search path, not on the JVM's {@code PATH}: machined
 * runs as PID 1 where no shell ever set one. The child gets a minimal environment ({@code PATH} from the search
 * path, {@code LC_ALL=C} so tool messages are stable) plus the command's own variables; nothing else of the
 * parent's environment leaks into it. Standard input is fed and both output streams are drained on virtual
 * threads, so a chatty tool never blocks on a full pipe. On timeout the process and its descendants are killed.
 *
 * <p>Stateless apart from its search path; thread-safe.
 */
public final class ProcessExec implements Exec {
    /** Where Debian and the Basalt rootfs keep the tools we run. */
    public static final List<Path> DEFAULT_SEARCH_PATH = List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"),
            Path.of("/sbin"), Path.of("/bin"), Path.of("/usr/local/sbin"), Path.of("/usr/local/bin"));
    /** Output beyond this per stream is read and dropped, so a runaway tool cannot exhaust the heap. */
    static final int MAX_CAPTURE_BYTES = 16 * 1024 * 1024;
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);

    private final List<Path> searchPath;

    public ProcessExec(List<Path> searchPath) {
        this.searchPath = List.copyOf(searchPath);
    }

    /** An executor searching {@link #DEFAULT_SEARCH_PATH}. */
    public static ProcessExec system() {
        return new ProcessExec(DEFAULT_SEARCH_PATH);
    }

    /** The absolute path {@code program} resolves to, if it is an executable file. */
    public Optional<Path> resolve(String program) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isExecutable(p) && !Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        for (Path dir : searchPath) {
            Path candidate = dir.resolve(program);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    public Result run(Command command) {
        Path executable = resolve(command.program()).orElseThrow(() -> ExecException.notFound(command,
                command.program().contains("/") ? command.program() : searchPathText()));
        ProcessBuilder pb = new ProcessBuilder();
        pb.command().add(executable.toString());
        pb.command().addAll(command.args());
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(baseEnvironment());
        env.putAll(command.env());

        long started = System.nanoTime();
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw ExecException.startFailed(command, e.getMessage(), e);
        }
        Capture out = new Capture(process.getInputStream());
        Capture err = new Capture(process.getErrorStream());
        Thread feeder = Thread.ofVirtual().name("exec-stdin-" + command.program()).start(() -> feed(process,
                command.stdin()));
        Thread outReader = Thread.ofVirtual().name("exec-stdout-" + command.program()).start(out);
        Thread errReader = Thread.ofVirtual().name("exec-stderr-" + command.program()).start(err);
        try {
            boolean finished = process.waitFor(command.timeout().toNanos(), TimeUnit.NANOSECONDS);
            if (!finished) {
                kill(process);
                joinQuietly(errReader);
                throw ExecException.timedOut(command, err.text());
            }
            feeder.join(KILL_GRACE);
            outReader.join(KILL_GRACE);
            errReader.join(KILL_GRACE);
            return new Result(process.exitValue(), out.bytes(), err.bytes(),
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw ExecException.startFailed(command, "interrupted while waiting", e);
        }
    }

    private Map<String, String> baseEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", searchPathText());
        env.put("LC_ALL", "C");
        return env;
    }

    private String searchPathText() {
        return searchPath.stream().map(Path::toString).collect(Collectors.joining(":"));
    }

    private static void feed(Process process, byte[] stdin) {
        try (OutputStream os = process.getOutputStream()) {
            os.write(stdin);
        } catch (IOException ignored) {
            // The program closed its standard input early (it did not want it); its exit status tells the story.
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(KILL_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Drains one output stream, keeping at most {@link #MAX_CAPTURE_BYTES}. */
    private static final class Capture implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        Capture(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (kept) {
                        int room = MAX_CAPTURE_BYTES - kept.size();
                        if (room > 0) {
                            kept.write(buf, 0, Math.min(room, n));
                        }
                    }
                }
            } catch (IOException ignored) {
                // The pipe closes when the process is killed; what was read so far is what we have.
            }
        }

        byte[] bytes() {
            synchronized (kept) {
                return kept.toByteArray();
            }
        }

        String text() {
            return new String(bytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
