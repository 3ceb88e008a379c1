package dev.basalt.machinery.config.patch;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 6901 JSON pointer (https://www.rfc-editor.org/rfc/rfc6901): {@code ""} is the whole document,
 * {@code /a/b} the member {@code b} of {@code a}; {@code ~1} stands for {@code /} and {@code ~0} for {@code ~}
 * inside a token.
 *
 * <p>Immutable and thread-safe.
 */
public record JsonPointer(List<String> tokens) {

    public JsonPointer {
        tokens = List.copyOf(tokens);
    }

    public static final JsonPointer ROOT = new JsonPointer(List.of());

    /** Parses pointer text, or throws {@link IllegalArgumentException} saying what is wrong with it. */
    public static JsonPointer parse(String text) {
        if (text.isEmpty()) {
            return ROOT;
        }
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("path '" + text + "' is not a JSON pointer; it must start with /");
        }
        List<String> tokens = new ArrayList<>();
        for (String raw : text.substring(1).split("/", -1)) {
            StringBuilder token = new StringBuilder(raw.length());
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c != '~') {
                    token.append(c);
                    continue;
                }
                char next = i + 1 < raw.length() ? raw.charAt(i + 1) : 0;
                if (next == '0') {
                    token.append('~');
                } else if (next == '1') {
                    token.append('/');
                } else {
                    throw new IllegalArgumentException("path '" + text
                            + "' has an invalid escape; '~' must be followed by 0 or 1");
                }
                i++;
            }
            tokens.add(token.toString());
        }
        return new JsonPointer(tokens);
    }

    public boolean isRoot() {
        return tokens.isEmpty();
    }

    public JsonPointer parent() {
        return isRoot() ? this : new JsonPointer(tokens.subList(0, tokens.size() - 1));
    }

    public String last() {
        return tokens.getLast();
    }

    /** The pointer made of the first {@code count} tokens. */
    public JsonPointer prefix(int count) {
        return new JsonPointer(tokens.subList(0, count));
    }

    public boolean isProperPrefixOf(JsonPointer other) {
        return tokens.size() < other.tokens.size() && other.tokens.subList(0, tokens.size()).equals(tokens);
    }

    public JsonPointer append(String token) {
        List<String> next = new ArrayList<>(tokens);
        next.add(token);
        return new JsonPointer(next);
    }

    @Override
    public String toString() {
        if (tokens.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder();
        for (String token : tokens) {
            out.append('/').append(token.replace("~", "~0").replace("/", "~1"));
        }
        return out.toString();
    }
}
