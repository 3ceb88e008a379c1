package dev.basalt.machined.services;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a service as an operating-system process: the program is executed directly (the rootfs has no shell),
 * with exactly the environment given (nothing inherited from machined), stdin from /dev/null, and stdout and
 * stderr read line by line into the service's log (and appended to a file when one is set).
 *
 * <p>Stopping signals the process and every descendant it has at that moment: the JDK cannot place a child in
 * its own process group, so the tree is walked instead ({@link ProcessHandle#descendants()}).
 *
 * <p>Immutable; thread-safe. Build with {@link #builder(String...)}.
 */
public final class ProcessRunner implements Runner {
    /** How long trailing output may take to arrive after the process exits. */
    private static final Duration DRAIN_AFTER_EXIT = Duration.ofSeconds(2);

    private final List<String> command;
    private final Map<String, String> environment;
    private final Optional<Path> workingDirectory;
    private final Optional<Path> logFile;
    private final ProcessLauncher launcher;

    private ProcessRunner(Builder b) {
        this.command = List.copyOf(b.command);
        this.environment = Map.copyOf(b.environment);
        this.workingDirectory = Optional.ofNullable(b.workingDirectory);
        this.logFile = Optional.ofNullable(b.logFile);
        this.launcher = b.launcher;
    }

    public static Builder builder(String... command) {
        return new Builder(List.of(command));
    }

    public static Builder builder(List<String> command) {
        return new Builder(command);
    }

    public List<String> command() {
        return command;
    }

    public Map<String, String> environment() {
        return environment;
    }

    @Override
    public String description() {
        return String.join(" ", command);
    }

    @Override
    public Run start(LineSink output) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(environment);
        workingDirectory.ifPresent(d -> pb.directory(d.toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        LineSink sink = output;
        Writer file = null;
        if (logFile.isPresent()) {
            Files.createDirectories(logFile.get().toAbsolutePath().getParent());
            Writer w = Files.newBufferedWriter(logFile.get(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            file = w;
            sink = line -> {
                output.line(line);
                synchronized (w) {
                    try {
                        w.write(line);
                        w.write('\n');
                        w.flush();
                    } catch (IOException e) {
                        // The ring buffer still has the line; a full disk must not stop the service.
                    }
                }
            };
        }
        Process process;
        try {
            process = launcher.launch(pb);
        } catch (IOException e) {
            closeQuietly(file);
            throw new IOException("cannot start " + command.getFirst() + ": " + e.getMessage(), e);
        }
        Thread out = pump(process.getInputStream(), sink, "out-" + process.pid());
        Thread err = pump(process.getErrorStream(), sink, "err-" + process.pid());
        return new ProcessRun(process, List.of(out, err), file);
    }

    private static Thread pump(InputStream stream, LineSink sink, String name) {
        return Thread.ofVirtual().name("log-" + name).start(() -> {
            var decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, decoder))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    sink.line(line);
                }
            } catch (IOException | UncheckedIOException e) {
                // The pipe closes when the process goes away; nothing to report.
            }
        });
    }

    private static void closeQuietly(Writer w) {
        if (w != null) {
            try {
                w.close();
            } catch (IOException ignored) {
                // closing a log file that failed to open or write
            }
        }
    }

    /** One running process. */
    private static final class ProcessRun implements Run {
        private final Process process;
        private final List<Thread> pumps;
        private final Writer file;

        ProcessRun(Process process, List<Thread> pumps, Writer file) {
            this.process = process;
            this.pumps = pumps;
            this.file = file;
        }

        @Override
        public Optional<Long> pid() {
            return Optional.of(process.pid());
        }

        @Override
        public ExitStatus awaitExit() throws InterruptedException {
            int code = process.waitFor();
            return finish(code);
        }

        @Override
        public Optional<ExitStatus> awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return Optional.empty();
            }
            return Optional.of(finish(process.exitValue()));
        }

        private ExitStatus finish(int code) throws InterruptedException {
            for (Thread t : pumps) {
                t.join(DRAIN_AFTER_EXIT);
            }
            closeQuietly(file);
            return ExitStatus.ofCode(code);
        }

        @Override
        public void terminate() {
            signalTree(false);
        }

        @Override
        public void kill() {
            signalTree(true);
        }

        private void signalTree(boolean force) {
            List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
            if (force) {
                process.destroyForcibly();
                tree.forEach(ProcessHandle::destroyForcibly);
            } else {
                process.destroy();
                tree.forEach(ProcessHandle::destroy);
            }
        }
    }

    /** Builds a {@link ProcessRunner}. Not thread-safe. */
    public static final class Builder {
        private final List<String> command;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path workingDirectory;
        private Path logFile;
        private ProcessLauncher launcher = ProcessLauncher.DIRECT;

        private Builder(List<String> command) {
            if (command.isEmpty() || command.getFirst().isBlank()) {
                throw new IllegalArgumentException("a process runner needs a program to execute, got " + command);
            }
            this.command = List.copyOf(command);
        }

        public Builder env(String name, String value) {
            environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder env(Map<String, String> values) {
            values.forEach(this::env);
            return this;
        }

        public Builder workingDirectory(Path value) {
            this.workingDirectory = value;
            return this;
        }

        /** Also append every line to this file (its directory is created when the run starts). */
        public Builder logFile(Path value) {
            this.logFile = value;
            return this;
        }

        public Builder launcher(ProcessLauncher value) {
            this.launcher = Objects.requireNonNull(value, "launcher");
            return this;
        }

        public ProcessRunner build() {
            return new ProcessRunner(this);
        }
    }
}
