package dev.basalt.machinery.clientconfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The client config ({@code basaltconfig}) in talosconfig's layout, so basaltctl and talosctl read each other's:
 *
 * <pre>
 * context: NAME
 * contexts:
 *     NAME:
 *         endpoints: [IP, ...]
 *         nodes: [IP, ...]
 *         ca: BASE64(PEM)
 *         crt: BASE64(PEM)
 *         key: BASE64(PEM)
 * </pre>
 *
 * Immutable: every change returns a new value. Context order is kept.
 */
public record ClientConfig(String context, Map<String, ClientContext> contexts) {
    public static final String ENV_VAR = "BASALTCONFIG";

    public ClientConfig {
        context = context == null ? "" : context;
        contexts = Collections.unmodifiableMap(new LinkedHashMap<>(contexts));
    }

    public static ClientConfig empty() {
        return new ClientConfig("", Map.of());
    }

    /**
     * Where the config lives: the {@code --basaltconfig} flag, else {@code $BASALTCONFIG}, else
     * {@code ~/.basalt/config}.
     */
    public static Path resolvePath(String flag, Map<String, String> environment, Path home) {
        if (flag != null && !flag.isBlank()) {
            return Path.of(flag);
        }
        String fromEnv = environment.get(ENV_VAR);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return home.resolve(".basalt").resolve("config");
    }

    /** The current context, if one is selected and defined. */
    public Optional<ClientContext> current() {
        return Optional.ofNullable(contexts.get(context));
    }

    public ClientConfig withContext(String name, ClientContext value) {
        Map<String, ClientContext> copy = new LinkedHashMap<>(contexts);
        copy.put(name, value);
        return new ClientConfig(context, copy);
    }

    public ClientConfig select(String name) {
        if (!contexts.containsKey(name)) {
            throw new ClientConfigException("context '" + name + "' is not defined; defined contexts: " + contexts.keySet());
        }
        return new ClientConfig(name, contexts);
    }

    /**
     * Merges {@code other} into this config and selects its current context. A context name already taken is
     * renamed {@code NAME-1}, {@code NAME-2}, ... (as talosctl does); {@code renamed} receives old -> new names.
     */
    public ClientConfig merge(ClientConfig other, Map<String, String> renamed) {
        Map<String, ClientContext> copy = new LinkedHashMap<>(contexts);
        String selected = context;
        for (Map.Entry<String, ClientContext> entry : other.contexts.entrySet()) {
            String name = entry.getKey();
            if (copy.containsKey(name)) {
                int suffix = 1;
                while (copy.containsKey(name + "-" + suffix)) {
                    suffix++;
                }
                renamed.put(name, name + "-" + suffix);
                name = name + "-" + suffix;
            }
            copy.put(name, entry.getValue());
            if (entry.getKey().equals(other.context)) {
                selected = name;
            }
        }
        return new ClientConfig(selected, copy);
    }

    public static ClientConfig load(Path path) {
        if (!Files.exists(path)) {
            throw new ClientConfigException("client config " + path + " does not exist (generate one with 'basaltctl gen config', or pass --basaltconfig)");
        }
        try {
            return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
        } catch (IOException e) {
            throw new ClientConfigException("cannot read client config " + path + ": " + e.getMessage(), e);
        }
    }

    /** Loads the file if it exists, else an empty config. */
    public static ClientConfig loadOrEmpty(Path path) {
        return Files.exists(path) ? load(path) : empty();
    }

    public static ClientConfig parse(String yaml, String source) {
        Object document;
        try {
            document = new Load(LoadSettings.builder().setAllowDuplicateKeys(false).build()).loadFromString(yaml);
        } catch (YamlEngineException e) {
            throw new ClientConfigException(source + ": not valid YAML: " + e.getMessage().replace('\n', ' '), e);
        }
        if (document == null) {
            return empty();
        }
        if (!(document instanceof Map<?, ?> root)) {
            throw new ClientConfigException(source + ": expected a mapping with 'context' and 'contexts'");
        }
        String context = root.get("context") instanceof String s ? s : "";
        Map<String, ClientContext> contexts = new LinkedHashMap<>();
        Object rawContexts = root.get("contexts");
        if (rawContexts != null && !(rawContexts instanceof Map)) {
            throw new ClientConfigException(source + ": contexts: expected a mapping of context names");
        }
        if (rawContexts instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String name = String.valueOf(entry.getKey());
                if (!(entry.getValue() instanceof Map<?, ?> fields)) {
                    throw new ClientConfigException(source + ": contexts." + name + ": expected a mapping");
                }
                contexts.put(name, new ClientContext(
                        strings(fields.get("endpoints"), source, "contexts." + name + ".endpoints"),
                        strings(fields.get("nodes"), source, "contexts." + name + ".nodes"),
                        text(fields.get("ca")), text(fields.get("crt")), text(fields.get("key"))));
            }
        }
        return new ClientConfig(context, contexts);
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }

    private static List<String> strings(Object value, String source, String path) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new ClientConfigException(source + ": " + path + ": expected a list of addresses");
        }
        List<String> out = new ArrayList<>();
        for (Object item : list) {
            out.add(String.valueOf(item));
        }
        return out;
    }

    public String toYaml() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("context", context);
        Map<String, Object> out = new LinkedHashMap<>();
        contexts.forEach((name, value) -> {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("endpoints", value.endpoints());
            if (!value.nodes().isEmpty()) {
                fields.put("nodes", value.nodes());
            }
            fields.put("ca", value.ca());
            fields.put("crt", value.crt());
            fields.put("key", value.key());
            out.put(name, fields);
        });
        root.put("contexts", out);
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(4)
                .setIndicatorIndent(2).setIndentWithIndicator(true).setWidth(1 << 20).build();
        return new Dump(settings).dumpToString(root);
    }

    /** Writes the config atomically with mode 0600 (it holds a private key). */
    public void save(Path path) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".basaltconfig", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, toYaml(), StandardCharsets.UTF_8);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ClientConfigException("cannot write client config " + path + ": " + e.getMessage(), e);
        }
    }
}
