package dev.basalt.machinery.config.patch;

import dev.basalt.machinery.config.ConfigSchema;
import dev.basalt.machinery.config.Problem;
import dev.basalt.machinery.config.SchemaType;
import dev.basalt.machinery.config.SourceMarks;
import dev.basalt.machinery.config.TreePath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strategic-merge patch with Talos' semantics: mappings merge key by key, scalars are replaced, lists are
 * appended, except the lists {@link ConfigSchema} marks as keyed (network interfaces by {@code interface} or
 * {@code deviceSelector}, VLANs by {@code vlanId}, admission plugins by {@code name}: a patch item merges into the
 * base item with the same key, or is appended) and the fields marked replace ({@code podSubnets},
 * {@code serviceSubnets}, {@code auditPolicy}: the patch value replaces the base value).
 *
 * <p>{@code $patch: delete} in a mapping deletes it: at a key, the key goes; as an item of a keyed list, the item
 * with that key goes. An explicit {@code null} in the patch changes nothing, as in Talos.
 *
 * <p>Immutable and thread-safe; {@link #applyTo} works on a copy.
 */
public final class StrategicMergePatch implements Patch {

    static final String DIRECTIVE = "$patch";
    private static final Object DELETED = new Object();

    private final String source;
    private final Map<String, Object> patch;
    private final SourceMarks marks;

    StrategicMergePatch(String source, Map<String, Object> patch, SourceMarks marks) {
        this.source = source;
        this.patch = Trees.copy(patch);
        this.marks = marks;
    }

    /** A patch from a tree built in code (no source text, so problems carry no line). */
    public static StrategicMergePatch of(Map<String, Object> patch, String sourceName) {
        return new StrategicMergePatch(sourceName, patch, SourceMarks.empty());
    }

    static PatchParseResult parse(Map<String, Object> tree, SourceMarks marks, String source) {
        List<Problem> problems = new ArrayList<>();
        checkDirectives(tree, TreePath.ROOT, marks, source, problems);
        if (!problems.isEmpty()) {
            return new PatchParseResult.Rejected(problems);
        }
        return new PatchParseResult.Parsed(new StrategicMergePatch(source, tree, marks));
    }

    private static void checkDirectives(Object node, TreePath path, SourceMarks marks, String source,
                                        List<Problem> problems) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                TreePath child = path.key((String) entry.getKey());
                if (DIRECTIVE.equals(entry.getKey())) {
                    if (!"delete".equals(entry.getValue())) {
                        problems.add(Problem.error(source, child.toString(), marks.at(child),
                                "unsupported $patch directive '" + entry.getValue() + "'; expected delete"));
                    } else if (path.isRoot()) {
                        problems.add(Problem.error(source, child.toString(), marks.at(child),
                                "$patch: delete cannot delete the whole document"));
                    }
                }
                checkDirectives(entry.getValue(), child, marks, source, problems);
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                checkDirectives(list.get(i), path.index(i), marks, source, problems);
            }
        }
    }

    @Override
    public String source() {
        return source;
    }

    /** The patch content (a copy). */
    public Map<String, Object> content() {
        return Trees.copy(patch);
    }

    @Override
    public PatchResult applyTo(Map<String, Object> tree) {
        Map<String, Object> target = Trees.copy(tree);
        List<Problem> problems = new ArrayList<>();
        mergeMap(target, patch, TreePath.ROOT, problems);
        if (!problems.isEmpty()) {
            return new PatchResult.Failed(problems);
        }
        return new PatchResult.Applied(target);
    }

    @SuppressWarnings("unchecked")
    private void mergeMap(Map<String, Object> target, Map<String, Object> source, TreePath path,
                          List<Problem> problems) {
        for (Map.Entry<String, Object> entry : source.entrySet()) {
            String key = entry.getKey();
            if (DIRECTIVE.equals(key)) {
                continue;
            }
            TreePath child = path.key(key);
            Object value = entry.getValue();
            if (value == null) {
                continue;
            }
            if (isDelete(value)) {
                target.remove(key);
                continue;
            }
            SchemaType.Field field = ConfigSchema.locate(child).field();
            Object existing = target.get(key);
            if (field != null && field.merge() == SchemaType.Merge.REPLACE) {
                target.put(key, clean(value));
            } else if (value instanceof Map<?, ?> map && existing instanceof Map<?, ?> base) {
                mergeMap((Map<String, Object>) base, (Map<String, Object>) map, child, problems);
            } else if (value instanceof List<?> list && existing instanceof List<?> base) {
                mergeList((List<Object>) base, (List<Object>) list, field, child, problems);
            } else {
                Object cleaned = clean(value);
                if (cleaned != DELETED) {
                    target.put(key, cleaned);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void mergeList(List<Object> target, List<Object> items, SchemaType.Field field, TreePath path,
                           List<Problem> problems) {
        boolean keyed = field != null && field.merge() == SchemaType.Merge.KEYED;
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            TreePath itemPath = path.index(i);
            if (!keyed) {
                if (isDelete(item)) {
                    problems.add(Problem.error(source, itemPath.toString(), marks.at(itemPath), "$patch: delete in "
                            + "a list item only works in lists merged by key (interfaces, vlans, admissionControl); "
                            + path + " is appended to"));
                    continue;
                }
                Object cleaned = clean(item);
                if (cleaned != DELETED) {
                    target.add(cleaned);
                }
                continue;
            }
            if (!(item instanceof Map<?, ?> rawMap)) {
                target.add(clean(item));
                continue;
            }
            Map<String, Object> map = (Map<String, Object>) rawMap;
            String key = field.mergeKeys().stream().filter(k -> map.get(k) != null).findFirst().orElse(null);
            int match = -1;
            if (key != null) {
                Object wanted = withoutDirectives(map.get(key));
                for (int j = 0; j < target.size(); j++) {
                    if (target.get(j) instanceof Map<?, ?> candidate
                            && Trees.jsonEquals(withoutDirectives(candidate.get(key)), wanted)) {
                        match = j;
                        break;
                    }
                }
            }
            if (isDelete(map)) {
                if (match >= 0) {
                    target.remove(match);
                }
            } else if (match >= 0) {
                mergeMap((Map<String, Object>) target.get(match), map, itemPath, problems);
            } else {
                Object cleaned = clean(map);
                if (cleaned != DELETED) {
                    target.add(cleaned);
                }
            }
        }
    }

    private static boolean isDelete(Object value) {
        return value instanceof Map<?, ?> map && "delete".equals(map.get(DIRECTIVE));
    }

    private static Object withoutDirectives(Object value) {
        Object cleaned = clean(value);
        return cleaned == DELETED ? null : cleaned;
    }

    /** A copy of new content with directives resolved: a {@code $patch: delete} mapping is simply absent. */
    private static Object clean(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (isDelete(map)) {
                return DELETED;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (DIRECTIVE.equals(entry.getKey())) {
                    continue;
                }
                Object cleaned = clean(entry.getValue());
                if (cleaned != DELETED) {
                    out.put((String) entry.getKey(), cleaned);
                }
            }
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                Object cleaned = clean(item);
                if (cleaned != DELETED) {
                    out.add(cleaned);
                }
            }
            return out;
        }
        return value;
    }

    @Override
    public String toString() {
        return "StrategicMergePatch[" + source + "]";
    }
}
