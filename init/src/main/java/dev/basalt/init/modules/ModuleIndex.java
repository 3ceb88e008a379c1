package dev.basalt.init.modules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What depmod wrote about one kernel's modules: which module serves which modalias (modules.alias) and which
 * modules each needs first (modules.dep). Answers "which modules, in which order, for these devices".
 *
 * <p>Immutable after parsing; thread-safe.
 *
 * @param files     module name (underscores) to its path relative to the module directory
 * @param dependencies module name to the names of the modules it needs loaded first
 * @param aliases   alias patterns in file order with the module each names
 */
public record ModuleIndex(Map<String, String> files, Map<String, List<String>> dependencies,
                          List<Alias> aliases) {

    /** One {@code alias PATTERN MODULE} line. */
    public record Alias(AliasPattern pattern, String module) {
    }

    public ModuleIndex {
        files = Map.copyOf(files);
        dependencies = Map.copyOf(dependencies);
        aliases = List.copyOf(aliases);
    }

    /** Reads modules.dep and modules.alias from a module directory ({@code /lib/modules/RELEASE}). */
    public static ModuleIndex load(Path moduleDirectory) throws IOException {
        return parse(Files.readString(moduleDirectory.resolve("modules.dep")),
                Files.readString(moduleDirectory.resolve("modules.alias")));
    }

    public static ModuleIndex parse(String modulesDep, String modulesAlias) {
        Map<String, String> files = new HashMap<>();
        Map<String, List<String>> dependencies = new HashMap<>();
        int lineNumber = 0;
        for (String line : modulesDep.split("\n")) {
            lineNumber++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("modules.dep line " + lineNumber + ": expected 'path.ko: deps...', got '"
                        + line + "'");
            }
            String path = line.substring(0, colon).trim();
            String name = nameOf(path);
            files.put(name, path);
            List<String> deps = new ArrayList<>();
            for (String dep : line.substring(colon + 1).trim().split("\\s+")) {
                if (!dep.isEmpty()) {
                    deps.add(nameOf(dep));
                }
            }
            dependencies.put(name, deps);
        }
        List<Alias> aliases = new ArrayList<>();
        lineNumber = 0;
        for (String line : modulesAlias.split("\n")) {
            lineNumber++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.trim().split("\\s+");
            if (fields.length != 3 || !fields[0].equals("alias")) {
                throw new IllegalArgumentException("modules.alias line " + lineNumber
                        + ": expected 'alias PATTERN MODULE', got '" + line + "'");
            }
            aliases.add(new Alias(new AliasPattern(fields[1]), normalise(fields[2])));
        }
        return new ModuleIndex(files, dependencies, aliases);
    }

    /** The module name of a path like {@code kernel/fs/overlayfs/overlay.ko.xz}: {@code overlay}. */
    public static String nameOf(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        int ko = base.indexOf(".ko");
        return normalise(ko >= 0 ? base.substring(0, ko) : base);
    }

    /** Module names treat '-' and '_' alike; the kernel uses '_'. */
    public static String normalise(String name) {
        return name.replace('-', '_');
    }

    /** The modules (present in modules.dep) whose alias patterns match any of {@code modaliases}. */
    public Set<String> modulesFor(Iterable<String> modaliases) {
        Set<String> result = new LinkedHashSet<>();
        for (String modalias : modaliases) {
            for (Alias alias : aliases) {
                if (files.containsKey(alias.module()) && alias.pattern().matches(modalias)) {
                    result.add(alias.module());
                }
            }
        }
        return result;
    }

    /**
     * The order to load {@code wanted} and everything they depend on: every module after its dependencies, each
     * once. Names that modules.dep does not list (built into the kernel, or not shipped) are left out.
     */
    public List<String> loadOrder(Iterable<String> wanted) {
        LinkedHashMap<String, Boolean> order = new LinkedHashMap<>();
        for (String name : wanted) {
            visit(normalise(name), order, new HashSet<>());
        }
        return List.copyOf(order.keySet());
    }

    private void visit(String name, Map<String, Boolean> order, Set<String> inProgress) {
        if (order.containsKey(name) || !files.containsKey(name)) {
            return;
        }
        if (!inProgress.add(name)) {
            throw new IllegalArgumentException("modules.dep has a dependency cycle through " + name);
        }
        for (String dep : dependencies.getOrDefault(name, List.of())) {
            visit(dep, order, inProgress);
        }
        inProgress.remove(name);
        order.put(name, Boolean.TRUE);
    }

    /** The file of a module, relative to the module directory. */
    public String fileOf(String name) {
        String file = files.get(normalise(name));
        if (file == null) {
            throw new IllegalArgumentException("no module named " + name + " in modules.dep");
        }
        return file;
    }
}
