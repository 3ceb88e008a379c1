package dev.basalt.machinery.api.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JVM flags and environment the API daemons (apid, trustd) run with, so that whoever launches them (machined's
 * supervisor, {@code apid/scripts/node-stack}) uses one measured set. The set lives in the resource
 * {@code daemon-jvm.options} next to this class: one flag per line, {@code NAME=VALUE} lines are environment
 * variables, {@code #} starts a comment.
 *
 * <p>Immutable; thread-safe.
 *
 * @param flags       JVM flags, in order, to put before {@code -cp}
 * @param environment environment variables to set for the daemon's process
 */
public record DaemonJvmOptions(List<String> flags, Map<String, String> environment) {
    private static final String RESOURCE = "daemon-jvm.options";

    public DaemonJvmOptions {
        flags = List.copyOf(flags);
        environment = Map.copyOf(environment);
    }

    /** The options shipped with this build. */
    public static DaemonJvmOptions load() {
        try (InputStream in = DaemonJvmOptions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing next to "
                        + DaemonJvmOptions.class.getName());
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE + " failed", e);
        }
    }

    /** Parses the file format described on the class; a line that is neither a flag nor NAME=VALUE fails. */
    public static DaemonJvmOptions parse(String text) {
        List<String> flags = new ArrayList<>();
        Map<String, String> environment = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("-")) {
                flags.add(line);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[A-Z_][A-Z0-9_]*")) {
                environment.put(line.substring(0, eq), line.substring(eq + 1));
                continue;
            }
            throw new IllegalArgumentException(RESOURCE + " line " + (i + 1) + " \"" + line
                    + "\" is neither a JVM flag (starting with '-') nor an environment variable NAME=VALUE");
        }
        return new DaemonJvmOptions(flags, environment);
    }
}
