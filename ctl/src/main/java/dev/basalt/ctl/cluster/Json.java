package dev.basalt.ctl.cluster;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON codec (RFC 8259) for the Docker engine API. Values are plain Java objects: {@code Map<String,
 * Object>} (insertion-ordered), {@code List<Object>}, {@code String}, {@code Long} for integers that fit,
 * {@code BigDecimal} for other numbers, {@code Boolean} and {@code null}. Parsing fails with
 * {@link JsonException} naming the offset and what was expected; it never returns half a value.
 *
 * <p>Stateless; thread-safe.
 */
public final class Json {
    private Json() {
    }

    /** Malformed JSON text. */
    public static final class JsonException extends RuntimeException {
        public JsonException(String message) {
            super(message);
        }
    }

    public static Object parse(String text) {
        Parser p = new Parser(text);
        p.skipSpace();
        Object v = p.value(0);
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("end of input");
        }
        return v;
    }

    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value);
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static void write(StringBuilder b, Object v) {
        switch (v) {
            case null -> b.append("null");
            case String s -> quote(b, s);
            case Boolean x -> b.append(x);
            case Integer i -> b.append(i);
            case Long l -> b.append(l);
            case BigDecimal d -> b.append(d.toPlainString());
            case Double d -> {
                if (d.isNaN() || d.isInfinite()) {
                    throw new IllegalArgumentException("JSON cannot represent " + d);
                }
                b.append(BigDecimal.valueOf(d).toPlainString());
            }
            case Map<?, ?> m -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    quote(b, (String) e.getKey());
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            }
            case List<?> l -> {
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    write(b, l.get(i));
                }
                b.append(']');
            }
            default -> throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** Navigates parsed JSON: {@code path(v, "NetworkSettings", "Networks")}; null when any step is missing. */
    public static Object path(Object value, String... keys) {
        Object v = value;
        for (String k : keys) {
            if (!(v instanceof Map<?, ?> m)) {
                return null;
            }
            v = m.get(k);
        }
        return v;
    }

    public static String string(Object value, String... keys) {
        return path(value, keys) instanceof String s ? s : "";
    }

    private static final class Parser {
        private static final int MAX_DEPTH = 512;
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        JsonException error(String expected) {
            String found = pos < s.length() ? "'" + s.charAt(pos) + "'" : "end of input";
            return new JsonException("malformed JSON at offset " + pos + ": expected " + expected + ", found " + found);
        }

        void skipSpace() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\n' || s.charAt(pos) == '\r'
                    || s.charAt(pos) == '\t')) {
                pos++;
            }
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw new JsonException("malformed JSON at offset " + pos + ": nested deeper than " + MAX_DEPTH);
            }
            if (pos >= s.length()) {
                throw error("a value");
            }
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("a value");
                }
            };
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, pos)) {
                throw error("'" + word + "'");
            }
            pos += word.length();
            return value;
        }

        private Map<String, Object> object(int depth) {
            Map<String, Object> m = new LinkedHashMap<>();
            pos++;
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return m;
            }
            while (true) {
                skipSpace();
                if (pos >= s.length() || s.charAt(pos) != '"') {
                    throw error("a member name");
                }
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                m.put(key, value(depth + 1));
                skipSpace();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect('}');
                return m;
            }
        }

        private List<Object> array(int depth) {
            List<Object> l = new ArrayList<>();
            pos++;
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return l;
            }
            while (true) {
                skipSpace();
                l.add(value(depth + 1));
                skipSpace();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                expect(']');
                return l;
            }
        }

        private void expect(char c) {
            if (pos >= s.length() || s.charAt(pos) != c) {
                throw error("'" + c + "'");
            }
            pos++;
        }

        private String string() {
            pos++;
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw error("closing '\"'");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return b.toString();
                }
                if (c < 0x20) {
                    pos--;
                    throw error("no control character inside a string");
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    throw error("an escape");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"' -> b.append('"');
                    case '\\' -> b.append('\\');
                    case '/' -> b.append('/');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw error("four hex digits");
                        }
                        try {
                            b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException x) {
                            throw error("four hex digits");
                        }
                        pos += 4;
                    }
                    default -> {
                        pos--;
                        throw error("a valid escape");
                    }
                }
            }
        }

        private Object number() {
            int start = pos;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            int digits = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (pos == digits) {
                throw error("a digit");
            }
            if (s.charAt(digits) == '0' && pos - digits > 1) {
                pos = digits + 1;
                throw error("no leading zero");
            }
            boolean integral = true;
            if (pos < s.length() && s.charAt(pos) == '.') {
                integral = false;
                pos++;
                int f = pos;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    pos++;
                }
                if (pos == f) {
                    throw error("a digit after '.'");
                }
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                integral = false;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                int x = pos;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    pos++;
                }
                if (pos == x) {
                    throw error("an exponent digit");
                }
            }
            String text = s.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException tooBig) {
                    return new BigDecimal(text);
                }
            }
            return new BigDecimal(text);
        }
    }
}
