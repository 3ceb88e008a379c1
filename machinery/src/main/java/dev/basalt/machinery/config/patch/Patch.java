package dev.basalt.machinery.config.patch;

import dev.basalt.machinery.config.Mark;
import dev.basalt.machinery.config.Problem;
import dev.basalt.machinery.config.YamlTree;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A config patch, as given to {@code --config-patch} or {@code machineconfig patch}: either a strategic-merge patch
 * (a YAML mapping shaped like a partial config, with Talos' merge rules and {@code $patch: delete}) or an RFC 6902
 * JSON patch (a YAML or JSON list of {@code {op, path, value, from}}).
 *
 * <pre>{@code
 * if (Patch.parse(text, "cp.yaml") instanceof PatchParseResult.Parsed(Patch patch)) {
 *     PatchResult result = patch.applyTo(tree);   // tree is never modified
 * }
 * }</pre>
 *
 * <p>Patches are immutable and thread-safe; applying one never changes its input.
 */
public sealed interface Patch permits StrategicMergePatch, JsonPatch {

    /** Where the patch came from (a file name, {@code --config-patch #1}), for problems. */
    String source();

    /** Applies the patch to a copy of {@code tree}. */
    PatchResult applyTo(Map<String, Object> tree);

    /** Parses a patch; a mapping is a strategic-merge patch, a list a JSON patch, an empty text an empty patch. */
    static PatchParseResult parse(String text, String sourceName) {
        try {
            return switch (YamlTree.parseDocuments(text == null ? "" : text, sourceName)) {
                case YamlTree.Parse.Failed(List<Problem> problems) -> new PatchParseResult.Rejected(problems);
                case YamlTree.Parse.Parsed(List<YamlTree.Document> documents) -> fromDocuments(documents, sourceName);
            };
        } catch (RuntimeException e) {
            return new PatchParseResult.Rejected(List.of(Problem.error(sourceName, "", Mark.UNKNOWN,
                    "internal error while reading the patch: " + e)));
        }
    }

    /** Applies {@code patches} in order to a copy of {@code tree}; stops at the first that fails. */
    static PatchResult applyAll(Map<String, Object> tree, List<Patch> patches) {
        Map<String, Object> current = tree;
        for (Patch patch : patches) {
            PatchResult result = patch.applyTo(current);
            if (result instanceof PatchResult.Applied(Map<String, Object> next)) {
                current = next;
            } else {
                return result;
            }
        }
        return new PatchResult.Applied(current == tree ? Trees.copy(tree) : current);
    }

    @SuppressWarnings("unchecked")
    private static PatchParseResult fromDocuments(List<YamlTree.Document> documents, String sourceName) {
        if (documents.isEmpty()) {
            return new PatchParseResult.Parsed(new StrategicMergePatch(sourceName, new LinkedHashMap<>(),
                    dev.basalt.machinery.config.SourceMarks.empty()));
        }
        List<Problem> problems = new ArrayList<>();
        YamlTree.Document first = documents.getFirst();
        for (YamlTree.Document extra : documents.subList(1, documents.size())) {
            Object kind = extra.root() instanceof Map<?, ?> m ? m.get("kind") : null;
            Object apiVersion = extra.root() instanceof Map<?, ?> m ? m.get("apiVersion") : null;
            problems.add(Problem.error(sourceName, "", extra.start(), kind == null
                    ? "a patch holds one document; found another"
                    : "unsupported config document kind '" + kind + "' (apiVersion '" + apiVersion
                    + "'); Basalt patches only the v1alpha1 machine config document"));
        }
        if (first.root() instanceof Map<?, ?> map && (map.containsKey("kind") || map.containsKey("apiVersion"))) {
            problems.add(Problem.error(sourceName, "", first.start(), "unsupported config document kind '"
                    + map.get("kind") + "' (apiVersion '" + map.get("apiVersion")
                    + "'); Basalt patches only the v1alpha1 machine config document"));
        }
        if (!problems.isEmpty()) {
            return new PatchParseResult.Rejected(problems);
        }
        return switch (first.root()) {
            case Map<?, ?> map -> StrategicMergePatch.parse((Map<String, Object>) map, first.marks(), sourceName);
            case List<?> list -> JsonPatch.parse((List<Object>) list, first.marks(), sourceName);
            default -> new PatchParseResult.Rejected(List.of(Problem.error(sourceName, "", first.start(),
                    "a patch must be a mapping (strategic merge) or a list of operations (JSON patch), found "
                            + YamlTree.typeName(first.root()))));
        };
    }
}
