package dev.basalt.machinery.config;

import java.util.Objects;

/**
 * One thing wrong (or worth knowing) about a config or patch, located in its source text.
 *
 * <p>{@code line} and {@code column} are 1-based; 0 means the position is not known (for example a problem about a
 * key that is missing altogether is reported at the line of its parent). {@code path} uses the dotted form
 * {@code machine.network.interfaces[0].addresses[1]}; an empty path means the document itself.
 *
 * <p>Immutable and thread-safe.
 */
public record Problem(String source, String path, int line, int column, Severity severity, String message) {

    /** How bad a problem is. A warning never stops a config from loading unless validation is strict. */
    public enum Severity { ERROR, WARNING }

    public Problem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    public static Problem error(String source, String path, Mark mark, String message) {
        return new Problem(source, path, mark.line(), mark.column(), Severity.ERROR, message);
    }

    public static Problem warning(String source, String path, Mark mark, String message) {
        return new Problem(source, path, mark.line(), mark.column(), Severity.WARNING, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** The same problem as an error (strict validation turns warnings into errors). */
    public Problem asError() {
        return severity == Severity.ERROR ? this : new Problem(source, path, line, column, Severity.ERROR, message);
    }

    /** {@code SOURCE:LINE:COL: PATH: MESSAGE}, the form editors and terminals understand. */
    @Override
    public String toString() {
        String where = path.isEmpty() ? "(document)" : path;
        String prefix = severity == Severity.WARNING ? "warning: " : "";
        return source + ":" + line + ":" + column + ": " + where + ": " + prefix + message;
    }
}
