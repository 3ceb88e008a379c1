package dev.basalt.machinery.secrets;

import java.util.List;

/** A secrets bundle could not be read; {@link #problems()} lists each bad field with its path. */
public final class SecretsException extends RuntimeException {
    private final List<String> problems;

    public SecretsException(String source, List<String> problems) {
        super(source + ": invalid secrets bundle:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
