package dev.basalt.init;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel command line (/proc/cmdline) split into parameters the way the kernel splits it: whitespace
 * separates, double quotes group, {@code key=value} or bare {@code flag}; a later repetition wins.
 *
 * <p>Immutable; thread-safe.
 */
public record KernelCommandLine(Map<String, String> parameters) {
    public KernelCommandLine {
        parameters = Map.copyOf(parameters);
    }

    public static KernelCommandLine parse(String line) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String word : words(line)) {
            int eq = word.indexOf('=');
            if (eq < 0) {
                parameters.put(word, "");
            } else {
                parameters.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return new KernelCommandLine(parameters);
    }

    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (!quoted && Character.isWhitespace(c)) {
                if (any) {
                    words.add(current.toString());
                    current.setLength(0);
                    any = false;
                }
            } else {
                current.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(current.toString());
        }
        return words;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(parameters.get(key));
    }
}
