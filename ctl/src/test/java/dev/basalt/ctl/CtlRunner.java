package dev.basalt.ctl;

import dev.basalt.ctl.cli.Cli;
import dev.basalt.ctl.cli.Invocation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs basaltctl in-process with captured streams, a fake home and a working directory. */
public final class CtlRunner {
    private final Path workingDirectory;

    public CtlRunner(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    public record Result(int status, String out, String err) {
    }

    public Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var environment = new Invocation.Environment(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]), Map.of(),
                workingDirectory.resolve("home"), workingDirectory);
        int status = new Cli("basaltctl", Main.tree(), Main.GLOBAL_FLAGS).run(List.of(args), environment);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
