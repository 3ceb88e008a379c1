package dev.basalt.machinery.config.patch;

import dev.basalt.machinery.config.Problem;
import dev.basalt.machinery.config.SourceMarks;
import dev.basalt.machinery.config.TreePath;
import dev.basalt.machinery.config.YamlTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An RFC 6902 JSON patch (https://www.rfc-editor.org/rfc/rfc6902): operations {@code add}, {@code remove},
 * {@code replace}, {@code move}, {@code copy} and {@code test}, applied in order to a copy of the tree; the first
 * operation that fails fails the whole patch, with a problem naming the patch source, the operation's index and its
 * path.
 *
 * <p>Immutable and thread-safe.
 */
public final class JsonPatch implements Patch {

    /** The operations of RFC 6902 section 4. */
    public enum Op {
        ADD, REMOVE, REPLACE, MOVE, COPY, TEST;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One operation; {@code from} is set for move and copy, {@code value} for add, replace and test. */
    public record Operation(int index, Op op, JsonPointer path, JsonPointer from, Object value,
                            dev.basalt.machinery.config.Mark mark) {
    }

    private static final Set<String> OP_NAMES = Set.of("add", "remove", "replace", "move", "copy", "test");

    private final String source;
    private final List<Operation> operations;

    private JsonPatch(String source, List<Operation> operations) {
        this.source = source;
        this.operations = List.copyOf(operations);
    }

    static PatchParseResult parse(List<Object> items, SourceMarks marks, String source) {
        List<Problem> problems = new ArrayList<>();
        List<Operation> operations = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            TreePath at = TreePath.ROOT.index(i);
            if (!(items.get(i) instanceof Map<?, ?> item)) {
                problems.add(Problem.error(source, at.toString(), marks.at(at), "JSON patch operation " + i
                        + " must be a mapping with op and path, found " + YamlTree.typeName(items.get(i))));
                continue;
            }
            Object opValue = item.get("op");
            if (!(opValue instanceof String opName) || !OP_NAMES.contains(opName)) {
                problems.add(Problem.error(source, at.key("op").toString(), marks.at(at.key("op")),
                        "operation " + i + ": op '" + opValue + "' is not one of add, remove, replace, move, copy, test"));
                continue;
            }
            Op op = Op.valueOf(opName.toUpperCase(Locale.ROOT));
            JsonPointer path = pointer(item, "path", i, at, marks, source, problems);
            JsonPointer from = null;
            if (op == Op.MOVE || op == Op.COPY) {
                from = pointer(item, "from", i, at, marks, source, problems);
            }
            if ((op == Op.ADD || op == Op.REPLACE || op == Op.TEST) && !item.containsKey("value")) {
                problems.add(Problem.error(source, at.toString(), marks.at(at),
                        "operation " + i + " (" + opName + "): missing 'value'"));
                continue;
            }
            if (path != null && (from != null || (op != Op.MOVE && op != Op.COPY))) {
                operations.add(new Operation(i, op, path, from, Trees.copy(item.get("value")), marks.at(at.key("path"))));
            }
        }
        if (!problems.isEmpty()) {
            return new PatchParseResult.Rejected(problems);
        }
        return new PatchParseResult.Parsed(new JsonPatch(source, operations));
    }

    private static JsonPointer pointer(Map<?, ?> item, String key, int index, TreePath at, SourceMarks marks,
                                       String source, List<Problem> problems) {
        Object value = item.get(key);
        TreePath keyPath = at.key(key);
        if (!(value instanceof String text)) {
            problems.add(Problem.error(source, keyPath.toString(), marks.at(value == null ? at : keyPath),
                    "operation " + index + ": missing '" + key + "' (a JSON pointer such as /machine/network)"));
            return null;
        }
        try {
            return JsonPointer.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(Problem.error(source, keyPath.toString(), marks.at(keyPath),
                    "operation " + index + ": " + e.getMessage()));
            return null;
        }
    }

    /** A JSON patch built in code. */
    public static JsonPatch of(List<Operation> operations, String sourceName) {
        return new JsonPatch(sourceName, operations);
    }

    public List<Operation> operations() {
        return operations;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    @SuppressWarnings("unchecked")
    public PatchResult applyTo(Map<String, Object> tree) {
        Object document = Trees.copy(tree);
        for (Operation operation : operations) {
            try {
                document = apply(document, operation);
            } catch (PatchException e) {
                String where = "[" + operation.index() + "].path";
                return new PatchResult.Failed(List.of(new Problem(source, where, operation.mark().line(),
                        operation.mark().column(), Problem.Severity.ERROR, "operation " + operation.index() + " ("
                        + operation.op().wireName() + " " + operation.path() + "): " + e.getMessage())));
            }
        }
        if (!(document instanceof Map<?, ?>)) {
            return new PatchResult.Failed(List.of(Problem.error(source, "", dev.basalt.machinery.config.Mark.UNKNOWN,
                    "the patched document is a " + YamlTree.typeName(document) + ", not a mapping")));
        }
        return new PatchResult.Applied((Map<String, Object>) document);
    }

    private static Object apply(Object document, Operation operation) throws PatchException {
        return switch (operation.op()) {
            case ADD -> add(document, operation.path(), Trees.copy(operation.value()));
            case REMOVE -> {
                remove(document, operation.path());
                yield document;
            }
            case REPLACE -> {
                get(document, operation.path());
                if (operation.path().isRoot()) {
                    yield Trees.copy(operation.value());
                }
                remove(document, operation.path());
                yield add(document, operation.path(), Trees.copy(operation.value()));
            }
            case MOVE -> {
                if (operation.from().isProperPrefixOf(operation.path())) {
                    throw new PatchException("cannot move " + operation.from() + " into its own child");
                }
                Object value = get(document, operation.from());
                if (operation.from().equals(operation.path())) {
                    yield document;
                }
                remove(document, operation.from());
                yield add(document, operation.path(), value);
            }
            case COPY -> add(document, operation.path(), Trees.copy(get(document, operation.from())));
            case TEST -> {
                Object actual = get(document, operation.path());
                if (!Trees.jsonEquals(actual, operation.value())) {
                    throw new PatchException("test failed: value is " + describe(actual) + ", expected "
                            + describe(operation.value()));
                }
                yield document;
            }
        };
    }

    private static String describe(Object value) {
        String text = String.valueOf(value);
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    static Object get(Object document, JsonPointer pointer) throws PatchException {
        Object current = document;
        List<String> tokens = pointer.tokens();
        for (int i = 0; i < tokens.size(); i++) {
            current = child(current, tokens.get(i), pointer.prefix(i));
        }
        return current;
    }

    private static Object child(Object container, String token, JsonPointer where) throws PatchException {
        if (container instanceof Map<?, ?> map) {
            if (!map.containsKey(token)) {
                throw new PatchException("no key '" + token + "' in " + where);
            }
            return map.get(token);
        }
        if (container instanceof List<?> list) {
            int index = index(token, list.size() - 1, where);
            return list.get(index);
        }
        throw new PatchException(where + " is a " + YamlTree.typeName(container) + ", it has no member '" + token + "'");
    }

    @SuppressWarnings("unchecked")
    private static Object add(Object document, JsonPointer pointer, Object value) throws PatchException {
        if (pointer.isRoot()) {
            return value;
        }
        Object parent = get(document, pointer.parent());
        String last = pointer.last();
        if (parent instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).put(last, value);
        } else if (parent instanceof List<?> list) {
            List<Object> items = (List<Object>) list;
            if ("-".equals(last)) {
                items.add(value);
            } else {
                items.add(index(last, items.size(), pointer.parent()), value);
            }
        } else {
            throw new PatchException(pointer.parent() + " is a " + YamlTree.typeName(parent)
                    + ", nothing can be added to it");
        }
        return document;
    }

    private static void remove(Object document, JsonPointer pointer) throws PatchException {
        if (pointer.isRoot()) {
            throw new PatchException("cannot remove the whole document");
        }
        Object parent = get(document, pointer.parent());
        String last = pointer.last();
        if (parent instanceof Map<?, ?> map) {
            if (!map.containsKey(last)) {
                throw new PatchException("no key '" + last + "' in " + pointer.parent());
            }
            map.remove(last);
        } else if (parent instanceof List<?> list) {
            list.remove(index(last, list.size() - 1, pointer.parent()));
        } else {
            throw new PatchException(pointer.parent() + " is a " + YamlTree.typeName(parent) + ", it has no member '"
                    + last + "'");
        }
    }

    private static int index(String token, int max, JsonPointer where) throws PatchException {
        boolean digits = !token.isEmpty() && token.chars().allMatch(Character::isDigit)
                && (token.length() == 1 || token.charAt(0) != '0') && token.length() < 10;
        if (!digits) {
            throw new PatchException("'" + token + "' is not an index into the list at " + where);
        }
        int index = Integer.parseInt(token);
        if (index > max) {
            throw new PatchException("index " + index + " is out of range for the list at " + where
                    + (max < 0 ? " (the list is empty)" : " (valid: 0 to " + max + ")"));
        }
        return index;
    }

    /** Why an operation could not be applied. */
    static final class PatchException extends Exception {
        PatchException(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public String toString() {
        return "JsonPatch[" + source + ", " + operations.size() + " operations]";
    }
}
