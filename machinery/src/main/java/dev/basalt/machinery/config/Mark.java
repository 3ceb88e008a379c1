package dev.basalt.machinery.config;

/**
 * A position in a source text, 1-based. {@link #UNKNOWN} (0:0) stands for "no position".
 *
 * <p>Immutable and thread-safe.
 */
public record Mark(int line, int column) {

    public static final Mark UNKNOWN = new Mark(0, 0);

    public Mark {
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("mark line and column must be >= 0, got " + line + ":" + column);
        }
    }
}
