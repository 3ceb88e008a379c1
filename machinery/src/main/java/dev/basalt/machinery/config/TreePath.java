package dev.basalt.machinery.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A path into a config tree: a list of map keys ({@link String}) and list indexes ({@link Integer}).
 *
 * <p>Rendered as {@code machine.network.interfaces[0].addresses[1]}; a key that is not a plain identifier (a sysctl
 * name such as {@code net.ipv4.ip_forward}, a label with a slash) is rendered quoted, {@code sysctls["net.ipv4.ip_forward"]},
 * so every rendering maps back to exactly one path. Immutable and thread-safe.
 */
public record TreePath(List<Object> segments) {

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");
    public static final TreePath ROOT = new TreePath(List.of());

    public TreePath {
        for (Object segment : segments) {
            if (!(segment instanceof String) && !(segment instanceof Integer)) {
                throw new IllegalArgumentException("path segment must be a String key or an Integer index, got " + segment);
            }
        }
        segments = Collections.unmodifiableList(new ArrayList<>(segments));
    }

    public static TreePath of(Object... segments) {
        return new TreePath(List.of(segments));
    }

    public TreePath key(String key) {
        List<Object> next = new ArrayList<>(segments.size() + 1);
        next.addAll(segments);
        next.add(key);
        return new TreePath(next);
    }

    public TreePath index(int index) {
        List<Object> next = new ArrayList<>(segments.size() + 1);
        next.addAll(segments);
        next.add(index);
        return new TreePath(next);
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    public TreePath parent() {
        if (segments.isEmpty()) {
            return this;
        }
        return new TreePath(segments.subList(0, segments.size() - 1));
    }

    public Object last() {
        return segments.isEmpty() ? null : segments.getLast();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (Object segment : segments) {
            if (segment instanceof Integer index) {
                out.append('[').append(index).append(']');
            } else {
                String key = (String) segment;
                if (PLAIN_KEY.matcher(key).matches()) {
                    if (!out.isEmpty()) {
                        out.append('.');
                    }
                    out.append(key);
                } else {
                    out.append("[\"").append(key.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"]");
                }
            }
        }
        return out.toString();
    }
}
