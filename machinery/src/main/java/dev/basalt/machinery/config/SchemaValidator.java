package dev.basalt.machinery.config;

import dev.basalt.machinery.config.SchemaType.Field;
import dev.basalt.machinery.config.SchemaType.FreeForm;
import dev.basalt.machinery.config.SchemaType.ListOf;
import dev.basalt.machinery.config.SchemaType.MapOf;
import dev.basalt.machinery.config.SchemaType.Obj;
import dev.basalt.machinery.config.SchemaType.Scalar;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a generic tree against {@link ConfigSchema}: every key known, every value of the declared type, every
 * closed-set value allowed; keys Talos knows but Basalt does not act on are reported as warnings (once, at the
 * outermost such key).
 *
 * <p>Stateless; thread-safe.
 */
final class SchemaValidator {

    /** Go's time.ParseDuration grammar, as Talos' JSON schema states it. */
    static final Pattern GO_DURATION = Pattern.compile("[-+]?(((\\d+(\\.\\d*)?|\\d*(\\.\\d+)+)([nuµm]?s|m|h))|0)+");
    private static final List<String> BOOL_WORDS = List.of("true", "false", "yes", "no", "on", "off");

    private SchemaValidator() {
    }

    static void validate(Map<String, Object> tree, ProblemCollector problems) {
        checkObject(ConfigSchema.root(), tree, TreePath.ROOT, true, problems);
    }

    private static void check(SchemaType type, Object value, TreePath path, boolean warnUnused,
                              ProblemCollector problems) {
        if (value == null) {
            // An explicit null is an absent value, as Talos' decoder treats it.
            return;
        }
        switch (type) {
            case FreeForm free -> {
            }
            case Scalar scalar -> checkScalar(scalar, value, path, problems);
            case ListOf list -> {
                if (!(value instanceof List<?> items)) {
                    problems.error(path, "expected a list, found " + describe(value));
                    return;
                }
                for (int i = 0; i < items.size(); i++) {
                    check(list.items(), items.get(i), path.index(i), warnUnused, problems);
                }
            }
            case MapOf map -> {
                if (!(value instanceof Map<?, ?> entries)) {
                    problems.error(path, "expected a mapping, found " + describe(value));
                    return;
                }
                for (Map.Entry<?, ?> entry : entries.entrySet()) {
                    check(map.values(), entry.getValue(), path.key((String) entry.getKey()), warnUnused, problems);
                }
            }
            case Obj obj -> {
                if (!(value instanceof Map<?, ?> entries)) {
                    problems.error(path, "expected a mapping (" + obj.name() + "), found " + describe(value));
                    return;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) entries;
                checkObject(obj, map, path, warnUnused, problems);
            }
        }
    }

    private static void checkObject(Obj obj, Map<String, Object> map, TreePath path, boolean warnUnused,
                                    ProblemCollector problems) {
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            TreePath child = path.key(entry.getKey());
            Field field = obj.field(entry.getKey());
            if (field == null) {
                String where = path.isRoot() ? "the document" : path.toString();
                problems.error(child, "unknown key '" + entry.getKey() + "' in " + where + "; expected one of "
                        + String.join(", ", obj.keyNames()));
                continue;
            }
            boolean warnBelow = warnUnused;
            if (warnUnused && !field.actedOn() && entry.getValue() != null) {
                problems.warning(child, "Talos key '" + entry.getKey()
                        + "' is accepted but Basalt does not act on it yet");
                warnBelow = false;
            }
            check(field.type(), entry.getValue(), child, warnBelow, problems);
        }
    }

    private static void checkScalar(Scalar scalar, Object value, TreePath path, ProblemCollector problems) {
        boolean isScalar = value instanceof String || value instanceof Long || value instanceof Double
                || value instanceof Boolean;
        String expected = scalar.kind().description();
        switch (scalar.kind()) {
            case STRING -> {
                if (!isScalar) {
                    problems.error(path, "expected " + expected + ", found " + describe(value));
                    return;
                }
            }
            case ARG -> {
                if (value instanceof List<?> items) {
                    for (int i = 0; i < items.size(); i++) {
                        Object item = items.get(i);
                        if (item instanceof Map<?, ?> || item instanceof List<?>) {
                            problems.error(path.index(i), "expected a string, found " + describe(item));
                        }
                    }
                } else if (!isScalar) {
                    problems.error(path, "expected " + expected + ", found " + describe(value));
                }
                return;
            }
            case INT -> {
                if (!(value instanceof Long)) {
                    problems.error(path, "expected " + expected + ", found " + describe(value));
                }
                return;
            }
            case BOOL -> {
                if (!(value instanceof Boolean)
                        && !(value instanceof String s && BOOL_WORDS.contains(s.toLowerCase(Locale.ROOT)))) {
                    problems.error(path, "expected " + expected + " (true or false), found " + describe(value));
                }
                return;
            }
            case DURATION -> {
                boolean ok = (value instanceof String s && GO_DURATION.matcher(s).matches())
                        || (value instanceof Long l && l == 0);
                if (!ok) {
                    problems.error(path, "expected " + expected + ", found " + describe(value));
                }
                return;
            }
            case BYTE_SIZE -> {
                boolean ok = (value instanceof Long l && l >= 0)
                        || (value instanceof String s && ByteSizes.parse(s) >= 0);
                if (!ok) {
                    problems.error(path, "expected " + expected + ", found " + describe(value));
                }
                return;
            }
            case FILE_MODE -> {
                if (!(value instanceof Long mode) || mode < 0 || mode > 07777) {
                    problems.error(path, "expected " + expected + " (0 to 0o7777), found " + describe(value));
                }
                return;
            }
        }
        if (!scalar.allowed().isEmpty() && !scalar.allowed().contains(String.valueOf(value))) {
            problems.error(path, "unknown value '" + value + "'; expected one of "
                    + String.join(", ", scalar.allowed()));
        }
    }

    static String describe(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> "string '" + abbreviate(s) + "'";
            case Map<?, ?> m -> "a mapping";
            case List<?> l -> "a list";
            default -> YamlTree.typeName(value) + " " + value;
        };
    }

    static String abbreviate(String s) {
        String one = s.replace("\n", "\\n");
        return one.length() > 60 ? one.substring(0, 57) + "..." : one;
    }
}
