package dev.basalt.machinery.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated v1alpha1 machine config: the typed view Basalt acts on ({@link #machine()}, {@link #cluster()}) and
 * the full generic tree it came from ({@link #tree()}), which keeps every key, including the Talos keys Basalt does
 * not model, so {@link #encode()} writes back everything that was read.
 *
 * <p>Obtained from {@link ConfigLoader#load}. Immutable (the tree is a deep unmodifiable copy) and thread-safe.
 */
public record MachineConfig(String version, boolean debug, Machine machine, Cluster cluster,
                            Map<String, Object> tree) {

    public MachineConfig {
        tree = deepUnmodifiable(tree);
    }

    static MachineConfig from(Map<String, Object> tree) {
        TreeReader root = TreeReader.of(tree);
        return new MachineConfig(root.string("version", "v1alpha1"), root.bool("debug", false),
                Machine.from(root.object("machine")), Cluster.from(root.object("cluster")), tree);
    }

    /** The config as YAML, keys in Talos' order; loading the result gives an equal config. */
    public String encode() {
        return ConfigYaml.encode(tree);
    }

    @Override
    public String toString() {
        return "MachineConfig[version=" + version + ", debug=" + debug + ", machine=" + machine + ", cluster="
                + cluster + "]";
    }

    @SuppressWarnings("unchecked")
    static <T> T deepUnmodifiable(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, deepUnmodifiable(v)));
            return (T) Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new java.util.ArrayList<>(list.size());
            for (Object item : list) {
                copy.add(deepUnmodifiable(item));
            }
            return (T) Collections.unmodifiableList(copy);
        }
        return value;
    }
}
