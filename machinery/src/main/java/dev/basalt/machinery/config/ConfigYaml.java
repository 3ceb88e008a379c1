package dev.basalt.machinery.config;

import dev.basalt.machinery.config.SchemaType.FreeForm;
import dev.basalt.machinery.config.SchemaType.ListOf;
import dev.basalt.machinery.config.SchemaType.MapOf;
import dev.basalt.machinery.config.SchemaType.Obj;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.api.RepresentToNode;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.representer.StandardRepresenter;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Writes config trees as YAML in a stable order: the keys of every schema object in Talos' field order, then any
 * other keys (free-form content, keys unknown to the schema) in the order they were read. Strings that would read
 * back as another type are quoted, multi-line strings are written as literal blocks, so
 * {@code YamlTree.parse(encode(tree))} gives back {@code tree}.
 *
 * <p>Stateless; thread-safe.
 */
public final class ConfigYaml {

    private ConfigYaml() {
    }

    /** The v1alpha1 document {@code tree} as YAML text. */
    public static String encode(Map<String, Object> tree) {
        return dump(order(tree, ConfigSchema.root()));
    }

    /** Any tree (a patch, a fragment) as YAML text, keeping its key order. */
    public static String encodeUnordered(Object tree) {
        return dump(order(tree, null));
    }

    private static String dump(Object ordered) {
        DumpSettings settings = DumpSettings.builder()
                .setDefaultFlowStyle(FlowStyle.BLOCK)
                .setSchema(new CoreSchema())
                .setIndent(4)
                .setIndicatorIndent(2)
                .setIndentWithIndicator(true)
                .setWidth(Integer.MAX_VALUE)
                .setSplitLines(false)
                .build();
        return new Dump(settings, new Representer(settings)).dumpToString(ordered);
    }

    /**
     * Chooses how multi-line strings are written: as a literal block where that reads back exactly, double-quoted
     * with escapes otherwise (the emitter's own choice produces blocks its parser rejects when a string starts with
     * whitespace-only lines or has trailing spaces).
     */
    private static final class Representer extends StandardRepresenter {
        private final RepresentToNode defaultStrings;

        Representer(DumpSettings settings) {
            super(settings);
            defaultStrings = representers.get(String.class);
            representers.put(String.class, data -> {
                String text = (String) data;
                if (text.indexOf('\n') < 0) {
                    return defaultStrings.representData(data);
                }
                return representScalar(Tag.STR, text, literalSafe(text) ? ScalarStyle.LITERAL : ScalarStyle.DOUBLE_QUOTED);
            });
        }

        private static boolean literalSafe(String text) {
            if (text.startsWith(" ") || text.startsWith("\t") || text.startsWith("\n")) {
                return false;
            }
            for (String line : text.split("\n", -1)) {
                if (line.endsWith(" ") || line.endsWith("\t")) {
                    return false;
                }
                for (int i = 0; i < line.length(); i++) {
                    char c = line.charAt(i);
                    if ((c < 0x20 && c != '\t') || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029'
                            || c == '\ufeff' || Character.isSurrogate(c)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    private static Object order(Object value, SchemaType type) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            if (type instanceof Obj obj) {
                for (SchemaType.Field field : obj.fields()) {
                    if (map.containsKey(field.name())) {
                        out.put(field.name(), order(map.get(field.name()), field.type()));
                    }
                }
            }
            SchemaType values = type instanceof MapOf mapOf ? mapOf.values() : type instanceof FreeForm ? type : null;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = (String) entry.getKey();
                if (!out.containsKey(key)) {
                    out.put(key, order(entry.getValue(), values));
                }
            }
            return out;
        }
        if (value instanceof List<?> list) {
            SchemaType items = type instanceof ListOf listOf ? listOf.items() : type instanceof FreeForm ? type : null;
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(order(item, items));
            }
            return out;
        }
        return value;
    }
}
