package dev.basalt.machinery.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shape of one node of the v1alpha1 config, as {@link ConfigSchema} declares it. Written as explicit values (no
 * reflection over Java classes) so the key set, the key order used when encoding and the merge rules used by
 * strategic-merge patches all come from one table.
 *
 * <p>All implementations are immutable and thread-safe.
 */
public sealed interface SchemaType permits SchemaType.Scalar, SchemaType.ListOf, SchemaType.MapOf, SchemaType.Obj,
        SchemaType.FreeForm {

    /** What a scalar node may hold. */
    enum ScalarKind {
        /** Any scalar; Talos' decoder reads numbers and booleans into string fields as their text. */
        STRING("a string"),
        INT("an integer"),
        /** {@code true}/{@code false}, and the words {@code yes}/{@code no}/{@code on}/{@code off}. */
        BOOL("a boolean"),
        /** A Go duration such as {@code 1h30m} or {@code 10s}. */
        DURATION("a duration such as 30s or 1h10m"),
        /** A byte count, as an integer or a human size such as {@code 100 GB}. */
        BYTE_SIZE("a size in bytes such as 1048576 or \"10 GB\""),
        /** Unix permission bits, as an integer (octal {@code 0o644} in YAML). */
        FILE_MODE("file permissions such as 0o644"),
        /** A command-line argument value: a scalar, or a list of scalars for a repeated flag. */
        ARG("a string or a list of strings");

        private final String description;

        ScalarKind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** A scalar, optionally restricted to a closed set of values (an empty list allows any value of the kind). */
    record Scalar(ScalarKind kind, List<String> allowed) implements SchemaType {
        public Scalar {
            Objects.requireNonNull(kind, "kind");
            allowed = List.copyOf(allowed);
        }
    }

    /** A list whose items all have the type {@code items}. */
    record ListOf(SchemaType items) implements SchemaType {
        public ListOf {
            Objects.requireNonNull(items, "items");
        }
    }

    /** A mapping from free-form string keys to values of type {@code values}. */
    record MapOf(SchemaType values) implements SchemaType {
        public MapOf {
            Objects.requireNonNull(values, "values");
        }
    }

    /**
     * An object with a fixed key set, in Talos' field order.
     *
     * @param name the Talos type name, for messages
     */
    record Obj(String name, List<Field> fields, Map<String, Field> byName) implements SchemaType {
        public Obj(String name, List<Field> fields) {
            this(name, fields, index(fields));
        }

        public Obj {
            fields = List.copyOf(fields);
            byName = Map.copyOf(byName);
        }

        private static Map<String, Field> index(List<Field> fields) {
            Map<String, Field> byName = new LinkedHashMap<>();
            for (Field field : fields) {
                if (byName.put(field.name(), field) != null) {
                    throw new IllegalArgumentException("duplicate schema field " + field.name());
                }
            }
            return byName;
        }

        public Field field(String key) {
            return byName.get(key);
        }

        public List<String> keyNames() {
            return fields.stream().map(Field::name).toList();
        }
    }

    /** Content Talos passes through without a schema (Kubernetes objects, audit policies, kubelet overrides). */
    record FreeForm() implements SchemaType {
    }

    /** Whether Basalt does something with a key today, or only accepts it so Talos configs keep loading. */
    enum Support { ACTED_ON, NOT_ACTED_ON }

    /** How a strategic-merge patch combines this field's value with the base value. */
    enum Merge {
        /** Mappings merge key by key, lists append, scalars are replaced. */
        DEEP,
        /** The patch value replaces the base value whole (Talos' {@code merge:"replace"}). */
        REPLACE,
        /** A list of objects merged item by item, matched on {@link Field#mergeKeys()}. */
        KEYED
    }

    /**
     * One key of an {@link Obj}.
     *
     * @param mergeKeys for {@link Merge#KEYED} lists, the item keys tried in order to match a patch item with a
     *                  base item (the first key the patch item has decides)
     */
    record Field(String name, SchemaType type, Support support, Merge merge, List<String> mergeKeys) {
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(support, "support");
            Objects.requireNonNull(merge, "merge");
            mergeKeys = List.copyOf(mergeKeys);
            if ((merge == Merge.KEYED) != !mergeKeys.isEmpty()) {
                throw new IllegalArgumentException("field " + name + ": keyed merge needs merge keys and only it");
            }
        }

        public boolean actedOn() {
            return support == Support.ACTED_ON;
        }
    }
}
