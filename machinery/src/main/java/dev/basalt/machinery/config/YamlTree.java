package dev.basalt.machinery.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * The YAML front end: turns YAML text into generic trees ({@link LinkedHashMap} in source order, {@link List},
 * {@link String}, {@link Long}, {@link Double}, {@link Boolean}, {@code null}) plus the {@link SourceMarks} of every
 * node, or into problems that carry the line snakeyaml reports. Nothing thrown by the parser escapes.
 *
 * <p>Plain scalars resolve as in the YAML 1.2 core schema, with one addition taken from Go's YAML decoder (which is
 * what reads Talos configs): an integer written with a leading zero ({@code 0644}) is octal, so file permissions
 * mean the same thing here as there. Duplicate keys in a mapping are an error.
 *
 * <p>Stateless; thread-safe.
 */
public final class YamlTree {

    /** Inputs carry whole manifests inline; the default 3 MB cap of the parser is too small for them. */
    private static final int CODE_POINT_LIMIT = 256 * 1024 * 1024;
    /** Deeper than any real config; stops pathological nesting before it becomes a stack overflow. */
    private static final int MAX_DEPTH = 256;

    private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
    private static final Pattern TRUE = Pattern.compile("true|True|TRUE");
    private static final Pattern FALSE = Pattern.compile("false|False|FALSE");
    private static final Pattern INT_DEC = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern INT_OCT = Pattern.compile("0o[0-7]+");
    private static final Pattern INT_LEGACY_OCT = Pattern.compile("[-+]?0[0-7]+");
    private static final Pattern INT_HEX = Pattern.compile("0x[0-9a-fA-F]+");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern INF = Pattern.compile("[-+]?(\\.inf|\\.Inf|\\.INF)");
    private static final Pattern NAN = Pattern.compile("\\.nan|\\.NaN|\\.NAN");

    private YamlTree() {
    }

    /** One YAML document: its root value and where each of its nodes came from. */
    public record Document(Object root, SourceMarks marks, Mark start) {
    }

    /** Outcome of parsing a YAML stream. */
    public sealed interface Parse permits Parse.Parsed, Parse.Failed {
        /** Every non-empty document of the stream, in order. */
        record Parsed(List<Document> documents) implements Parse {
            public Parsed {
                documents = List.copyOf(documents);
            }
        }

        /** The text is not acceptable YAML; nothing of it is returned. */
        record Failed(List<Problem> problems) implements Parse {
            public Failed {
                problems = List.copyOf(problems);
            }
        }
    }

    /** Parses every document of {@code text}; empty documents (a lone {@code ---}) are skipped. */
    public static Parse parseDocuments(String text, String sourceName) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(sourceName)
                .setCodePointLimit(CODE_POINT_LIMIT)
                .setMaxAliasesForCollections(64)
                .setUseMarks(true)
                .setSchema(new CoreSchema())
                .build();
        List<Document> documents = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        try {
            for (Node node : new Compose(settings).composeAllFromString(text)) {
                Converter converter = new Converter(sourceName, problems);
                SourceMarks.Builder marks = new SourceMarks.Builder();
                Mark start = mark(node);
                marks.put(TreePath.ROOT, start);
                Object root = converter.convert(node, TreePath.ROOT, marks, 0);
                if (root == null && node instanceof ScalarNode) {
                    continue;
                }
                documents.add(new Document(root, marks.build(), start));
            }
        } catch (MarkedYamlEngineException e) {
            Mark where = e.getProblemMark().or(e::getContextMark).map(YamlTree::toMark).orElse(Mark.UNKNOWN);
            problems.add(Problem.error(sourceName, "", where, "invalid YAML: " + describe(e)));
        } catch (YamlEngineException e) {
            problems.add(Problem.error(sourceName, "", Mark.UNKNOWN, "invalid YAML: " + oneLine(e.getMessage())));
        } catch (RuntimeException | StackOverflowError e) {
            // The parser must never take a daemon down, whatever it is fed.
            problems.add(Problem.error(sourceName, "", Mark.UNKNOWN, "invalid YAML: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + oneLine(e.getMessage()))));
        }
        if (!problems.isEmpty()) {
            return new Parse.Failed(problems);
        }
        return new Parse.Parsed(documents);
    }

    private static String describe(MarkedYamlEngineException e) {
        StringBuilder out = new StringBuilder();
        if (e.getContext() != null) {
            out.append(e.getContext()).append(": ");
        }
        if (e.getProblem() != null) {
            out.append(e.getProblem());
        }
        return oneLine(out.toString());
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s+", " ").trim();
    }

    private static Mark mark(Node node) {
        return node.getStartMark().map(YamlTree::toMark).orElse(Mark.UNKNOWN);
    }

    private static Mark toMark(org.snakeyaml.engine.v2.exceptions.Mark mark) {
        return new Mark(mark.getLine() + 1, mark.getColumn() + 1);
    }

    /** Resolves a plain scalar the way {@link YamlTree} documents; quoted scalars stay strings. */
    static Object resolvePlain(String value) {
        if (NULL.matcher(value).matches()) {
            return null;
        }
        if (TRUE.matcher(value).matches()) {
            return Boolean.TRUE;
        }
        if (FALSE.matcher(value).matches()) {
            return Boolean.FALSE;
        }
        try {
            if (INT_OCT.matcher(value).matches()) {
                return Long.parseLong(value.substring(2), 8);
            }
            if (INT_HEX.matcher(value).matches()) {
                return Long.parseLong(value.substring(2), 16);
            }
            if (INT_LEGACY_OCT.matcher(value).matches()) {
                return Long.parseLong(value, 8);
            }
            if (INT_DEC.matcher(value).matches()) {
                return Long.parseLong(value);
            }
        } catch (NumberFormatException e) {
            return new OutOfRange(value);
        }
        if (FLOAT.matcher(value).matches()) {
            return Double.parseDouble(value);
        }
        if (INF.matcher(value).matches()) {
            return value.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (NAN.matcher(value).matches()) {
            return Double.NaN;
        }
        return value;
    }

    /** Marker for an integer literal that does not fit 64 bits; reported as a problem, never put in a tree. */
    private record OutOfRange(String literal) {
    }

    private static final class Converter {
        private final String source;
        private final List<Problem> problems;
        /** Nodes on the current descent; an alias back to one of them is a cycle. */
        private final Set<Node> active = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

        Converter(String source, List<Problem> problems) {
            this.source = source;
            this.problems = problems;
        }

        Object convert(Node node, TreePath path, SourceMarks.Builder marks, int depth) {
            if (depth > MAX_DEPTH) {
                problems.add(Problem.error(source, path.toString(), mark(node),
                        "nesting is deeper than " + MAX_DEPTH + " levels"));
                return null;
            }
            if (!active.add(node)) {
                problems.add(Problem.error(source, path.toString(), mark(node), "recursive YAML alias"));
                return null;
            }
            try {
                return switch (node) {
                    case ScalarNode scalar -> scalar(scalar, path);
                    case SequenceNode sequence -> sequence(sequence, path, marks, depth);
                    case MappingNode mapping -> mapping(mapping, path, marks, depth);
                    default -> {
                        problems.add(Problem.error(source, path.toString(), mark(node), "unsupported YAML node"));
                        yield null;
                    }
                };
            } finally {
                active.remove(node);
            }
        }

        private Object scalar(ScalarNode scalar, TreePath path) {
            String value = scalar.getValue();
            Tag tag = scalar.getTag();
            Object resolved;
            if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT) || tag.equals(Tag.BOOL) || tag.equals(Tag.NULL)) {
                // Plain scalars arrive tagged by the core-schema resolver; explicit tags arrive the same way.
                resolved = coerce(tag, value, scalar, path);
            } else {
                // !!str, quoted scalars, block scalars and application tags all stay text.
                resolved = value;
            }
            if (resolved instanceof OutOfRange(String literal)) {
                problems.add(Problem.error(source, path.toString(), mark(scalar),
                        "integer " + literal + " does not fit in 64 bits"));
                return null;
            }
            return resolved;
        }

        private Object coerce(Tag tag, String value, ScalarNode scalar, TreePath path) {
            Object resolved = resolvePlain(value.trim());
            if (tag.equals(Tag.INT) && (resolved instanceof Long || resolved instanceof OutOfRange)) {
                return resolved;
            }
            if (tag.equals(Tag.FLOAT) && resolved instanceof Double) {
                return resolved;
            }
            if (tag.equals(Tag.FLOAT) && resolved instanceof Long l) {
                return l.doubleValue();
            }
            if (tag.equals(Tag.BOOL) && resolved instanceof Boolean) {
                return resolved;
            }
            if (tag.equals(Tag.NULL) && resolved == null) {
                return null;
            }
            problems.add(Problem.error(source, path.toString(), mark(scalar),
                    "value '" + value + "' is not a valid " + tag.getValue().replace("tag:yaml.org,2002:", "!!")));
            return null;
        }

        private List<Object> sequence(SequenceNode sequence, TreePath path, SourceMarks.Builder marks, int depth) {
            List<Node> items = sequence.getValue();
            List<Object> out = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                TreePath itemPath = path.index(i);
                marks.put(itemPath, mark(item));
                out.add(convert(item, itemPath, marks, depth + 1));
            }
            return out;
        }

        private Map<String, Object> mapping(MappingNode mapping, TreePath path, SourceMarks.Builder marks, int depth) {
            Map<String, Object> out = new LinkedHashMap<>();
            Set<String> seen = new HashSet<>();
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                if (!(keyNode instanceof ScalarNode keyScalar)) {
                    problems.add(Problem.error(source, path.toString(), mark(keyNode),
                            "mapping keys must be scalars, found a " + kind(keyNode)));
                    continue;
                }
                String key = keyScalar.getValue();
                TreePath entryPath = path.key(key);
                if (!seen.add(key)) {
                    problems.add(Problem.error(source, entryPath.toString(), mark(keyNode),
                            "duplicate key '" + key + "'"));
                    continue;
                }
                marks.put(entryPath, mark(keyNode));
                out.put(key, convert(tuple.getValueNode(), entryPath, marks, depth + 1));
            }
            return out;
        }

        private static String kind(Node node) {
            return switch (node) {
                case MappingNode m -> "mapping";
                case SequenceNode s -> "sequence";
                default -> "scalar";
            };
        }
    }

    /** A short, human name for the type of a tree value, for messages. */
    public static String typeName(Object value) {
        return switch (value) {
            case null -> "null";
            case Map<?, ?> m -> "mapping";
            case List<?> l -> "list";
            case String s -> "string";
            case Long l -> "integer";
            case Double d -> "number";
            case Boolean b -> "boolean";
            default -> value.getClass().getSimpleName();
        };
    }

    static Optional<Mark> markOf(Node node) {
        return node.getStartMark().map(YamlTree::toMark);
    }
}
