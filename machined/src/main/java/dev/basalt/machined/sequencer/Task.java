package dev.basalt.machined.sequencer;

/**
 * One named step of a {@link Sequence}. The name is what the console shows: {@code [basalt] task NAME (i/n)}.
 *
 * <p>Immutable; whether it is thread-safe depends on its action.
 *
 * @param name   lowerCamelCase, as Talos names its tasks ({@code loadConfig})
 * @param action the work; it reports a one-line result
 */
public record Task(String name, Action action) {
    /** The work of a task; returns a short description of what it did, shown on the console. */
    @FunctionalInterface
    public interface Action {
        String run() throws Exception;
    }

    public Task {
        if (name == null || !name.matches("[a-z][A-Za-z0-9]*")) {
            throw new IllegalArgumentException("task name must be lowerCamelCase, got '" + name + "'");
        }
    }
}
