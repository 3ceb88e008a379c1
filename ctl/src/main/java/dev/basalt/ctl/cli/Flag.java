package dev.basalt.ctl.cli;

import java.util.List;
import java.util.Objects;

/**
 * A command-line flag, spelled as talosctl spells it where talosctl has one.
 *
 * @param name         long name without dashes ({@code nodes} for {@code --nodes})
 * @param shorthand    one-letter alias without the dash, or empty
 * @param kind         how values are read
 * @param defaultValue default values (one element for scalars; empty for none)
 * @param usage        one line of help
 */
public record Flag(String name, String shorthand, Kind kind, List<String> defaultValue, String usage) {
    /** How a flag takes values. */
    public enum Kind {
        /** {@code --force} or {@code --force=false}. */
        BOOL,
        /** One value; given twice, the last wins. */
        STRING,
        /** Repeatable, and each value is also split on commas ({@code -n a,b -n c}), like cobra's StringSlice. */
        STRING_SLICE,
        /** Repeatable, values kept whole ({@code --config-patch @a.yaml --config-patch '[...]'}), like StringArray. */
        STRING_ARRAY,
        /** A whole number. */
        INT,
        /** A Go-style duration ({@code 30s}, {@code 5m}, {@code 1h30m}). */
        DURATION
    }

    public Flag {
        Objects.requireNonNull(name, "name");
        shorthand = shorthand == null ? "" : shorthand;
        defaultValue = List.copyOf(defaultValue);
    }

    public static Flag bool(String name, String shorthand, String usage) {
        return new Flag(name, shorthand, Kind.BOOL, List.of("false"), usage);
    }

    public static Flag string(String name, String shorthand, String defaultValue, String usage) {
        return new Flag(name, shorthand, Kind.STRING, defaultValue == null ? List.of() : List.of(defaultValue), usage);
    }

    public static Flag slice(String name, String shorthand, String usage) {
        return new Flag(name, shorthand, Kind.STRING_SLICE, List.of(), usage);
    }

    public static Flag array(String name, String shorthand, String usage) {
        return new Flag(name, shorthand, Kind.STRING_ARRAY, List.of(), usage);
    }

    public static Flag integer(String name, String shorthand, int defaultValue, String usage) {
        return new Flag(name, shorthand, Kind.INT, List.of(Integer.toString(defaultValue)), usage);
    }

    public static Flag duration(String name, String shorthand, String defaultValue, String usage) {
        return new Flag(name, shorthand, Kind.DURATION, List.of(defaultValue), usage);
    }

    String display() {
        String left = (shorthand.isEmpty() ? "    " : "-" + shorthand + ", ") + "--" + name;
        String type = switch (kind) {
            case BOOL -> "";
            case STRING -> " string";
            case STRING_SLICE -> " strings";
            case STRING_ARRAY -> " stringArray";
            case INT -> " int";
            case DURATION -> " duration";
        };
        String def = kind == Kind.BOOL || defaultValue.isEmpty() || defaultValue.getFirst().isEmpty()
                ? "" : " (default " + String.join(",", defaultValue) + ")";
        return String.format("  %-36s %s%s", left + type, usage, def);
    }
}
