package dev.basalt.machinery.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Read-only typed access to one mapping of a validated config tree, used by the config records' {@code from}
 * factories. Absent keys and explicit nulls read as the default given by the caller, so defaults sit next to the
 * field they belong to.
 *
 * <p>Immutable view; thread-safe as long as the tree is not modified.
 */
final class TreeReader {

    private static final TreeReader EMPTY = new TreeReader(Map.of());
    private final Map<String, Object> map;

    private TreeReader(Map<String, Object> map) {
        this.map = map;
    }

    static TreeReader of(Map<String, Object> map) {
        return map == null ? EMPTY : new TreeReader(map);
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    String string(String key, String defaultValue) {
        String text = SemanticValidator.text(map.get(key));
        return text == null ? defaultValue : text;
    }

    Optional<String> optionalString(String key) {
        String text = SemanticValidator.text(map.get(key));
        return text == null || text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    boolean bool(String key, boolean defaultValue) {
        Object value = map.get(key);
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> defaultValue;
            };
        }
        return defaultValue;
    }

    long integer(String key, long defaultValue) {
        return map.get(key) instanceof Long l ? l : defaultValue;
    }

    List<String> strings(String key) {
        return List.copyOf(SemanticValidator.strings(map.get(key)));
    }

    List<String> strings(String key, List<String> defaultValue) {
        return has(key) ? strings(key) : defaultValue;
    }

    Map<String, String> stringMap(String key) {
        Map<String, Object> raw = SemanticValidator.map(map.get(key));
        if (raw == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            String text = SemanticValidator.text(v);
            if (text != null) {
                out.put(k, text);
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** Flag values: a scalar is one value, a list is the flag repeated. */
    Map<String, List<String>> args(String key) {
        Map<String, Object> raw = SemanticValidator.map(map.get(key));
        if (raw == null) {
            return Map.of();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            if (v instanceof List<?> items) {
                out.put(k, SemanticValidator.strings(items));
            } else if (SemanticValidator.text(v) != null) {
                out.put(k, List.of(SemanticValidator.text(v)));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    TreeReader object(String key) {
        return of(SemanticValidator.map(map.get(key)));
    }

    Optional<TreeReader> optionalObject(String key) {
        Map<String, Object> child = SemanticValidator.map(map.get(key));
        return child == null ? Optional.empty() : Optional.of(of(child));
    }

    List<TreeReader> objects(String key) {
        List<TreeReader> out = new ArrayList<>();
        for (Object item : SemanticValidator.list(map.get(key))) {
            Map<String, Object> child = SemanticValidator.map(item);
            if (child != null) {
                out.add(of(child));
            }
        }
        return List.copyOf(out);
    }
}
