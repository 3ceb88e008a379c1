package dev.basalt.ctl.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of a command: its parsed flags and positional arguments, and the process surroundings (streams,
 * environment, home, working directory) so commands are testable without touching the real ones. Not
 * thread-safe; used by one command run.
 */
public final class Invocation {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private final List<String> commandPath;
    private final Map<String, Flag> flags;
    private final Map<String, List<String>> values;
    private final List<String> arguments;
    private final Environment environment;

    Invocation(List<String> commandPath, Map<String, Flag> flags, Map<String, List<String>> values, List<String> arguments,
               Environment environment) {
        this.commandPath = List.copyOf(commandPath);
        this.flags = Map.copyOf(flags);
        this.values = Map.copyOf(values);
        this.arguments = List.copyOf(arguments);
        this.environment = environment;
    }

    /** The process surroundings a command may use. */
    public record Environment(PrintStream out, PrintStream err, InputStream in, Map<String, String> variables, Path home,
                              Path workingDirectory) {
        public static Environment system() {
            return new Environment(System.out, System.err, System.in, System.getenv(),
                    Path.of(System.getProperty("user.home")), Path.of("").toAbsolutePath());
        }
    }

    public List<String> commandPath() {
        return commandPath;
    }

    public List<String> args() {
        return arguments;
    }

    /** Exactly {@code count} positional arguments, named in the error if missing. */
    public List<String> requireArgs(String... names) {
        if (arguments.size() != names.length) {
            throw new UsageException("'" + String.join(" ", commandPath) + "' takes " + names.length + " argument(s) ("
                    + String.join(" ", names) + "), got " + arguments.size()
                    + (arguments.isEmpty() ? "" : ": " + String.join(" ", arguments)));
        }
        return arguments;
    }

    public boolean isSet(String name) {
        flag(name);
        return values.containsKey(name);
    }

    public String string(String name) {
        List<String> value = raw(name);
        return value.isEmpty() ? "" : value.getLast();
    }

    public List<String> strings(String name) {
        return raw(name);
    }

    public boolean bool(String name) {
        return Boolean.parseBoolean(string(name));
    }

    public int integer(String name) {
        String text = string(name);
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + ": '" + text + "' is not a whole number");
        }
    }

    public Duration duration(String name) {
        return parseDuration("--" + name, string(name));
    }

    /** Parses a Go duration string ({@code 300ms}, {@code 1m30s}, {@code 2h}). */
    public static Duration parseDuration(String what, String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = DURATION_PART.matcher(text);
        long nanos = 0;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            double amount = Double.parseDouble(matcher.group(1));
            long unit = switch (matcher.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos += (long) (amount * unit);
            end = matcher.end();
        }
        if (end == 0 || end != text.length()) {
            throw new UsageException(what + ": '" + text + "' is not a duration (expected e.g. 30s, 5m, 1h30m)");
        }
        return Duration.ofNanos(nanos);
    }

    private List<String> raw(String name) {
        Flag flag = flag(name);
        List<String> value = values.get(name);
        return value != null ? value : flag.defaultValue();
    }

    private Flag flag(String name) {
        Flag flag = flags.get(name);
        if (flag == null) {
            throw new IllegalArgumentException("command " + commandPath + " declares no flag --" + name);
        }
        return flag;
    }

    public PrintStream out() {
        return environment.out();
    }

    public PrintStream err() {
        return environment.err();
    }

    public InputStream in() {
        return environment.in();
    }

    public Map<String, String> variables() {
        return environment.variables();
    }

    public Path home() {
        return environment.home();
    }

    /** Resolves a user-supplied path against the working directory. */
    public Path path(String text) {
        if (text.startsWith("~/")) {
            return environment.home().resolve(text.substring(2));
        }
        return environment.workingDirectory().resolve(text);
    }
}
