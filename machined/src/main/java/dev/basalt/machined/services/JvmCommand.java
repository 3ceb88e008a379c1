package dev.basalt.machined.services;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How machined launches one of Basalt's other JVMs (apid, trustd): the image's JRE, a classpath of the daemon's
 * jars, its main class and its JVM flags (small heap, serial GC, C1 only: these daemons idle most of the time and
 * the node's memory target counts every JVM).
 */
public record JvmCommand(Path java, List<Path> classpath, String mainClass, List<String> jvmFlags) {
    /** Flags for a small, mostly idle daemon. */
    public static final List<String> SMALL_DAEMON = List.of("-Xmx64m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Xss512k", "--enable-native-access=ALL-UNNAMED");

    public JvmCommand {
        Objects.requireNonNull(java, "java");
        classpath = List.copyOf(classpath);
        if (classpath.isEmpty()) {
            throw new IllegalArgumentException("JVM service " + mainClass + " needs a classpath");
        }
        Objects.requireNonNull(mainClass, "mainClass");
        jvmFlags = List.copyOf(jvmFlags);
    }

    /** The command line: java FLAGS -cp CLASSPATH MAIN ARGS. */
    public List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(String.join(":", classpath.stream().map(Path::toString).toList()));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }
}
