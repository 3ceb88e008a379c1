package dev.basalt.machinery.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads v1alpha1 machine configs: YAML text in, a {@link MachineConfig} or every problem out, each problem placed at
 * {@code SOURCE:LINE:COL} with the path of the offending key.
 *
 * <pre>{@code
 * switch (ConfigLoader.load(text, "controlplane.yaml", ValidationMode.METAL, false)) {
 *     case LoadResult.Loaded(var config, var warnings) -> ...
 *     case LoadResult.Rejected(var errors) -> errors.forEach(System.err::println);
 * }
 * }</pre>
 *
 * <p>Nothing it is given makes it throw. Stateless; thread-safe.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /** {@link #load(String, String, ValidationMode, boolean)} for bare metal, warnings not fatal. */
    public static LoadResult load(String yamlText, String sourceName) {
        return load(yamlText, sourceName, ValidationMode.METAL, false);
    }

    /**
     * Parses and validates a config.
     *
     * @param strict turn every warning (such as a Talos key Basalt does not act on) into an error
     */
    public static LoadResult load(String yamlText, String sourceName, ValidationMode mode, boolean strict) {
        try {
            return switch (parseTree(yamlText, sourceName)) {
                case TreeResult.Failed(List<Problem> problems) -> new LoadResult.Rejected(problems);
                case TreeResult.Parsed(Map<String, Object> tree, SourceMarks marks) ->
                        validate(tree, marks, sourceName, mode, strict);
            };
        } catch (RuntimeException e) {
            // A bug in a rule must not take the caller down with it; report it as what it is.
            return new LoadResult.Rejected(List.of(Problem.error(sourceName, "", Mark.UNKNOWN,
                    "internal error while validating: " + e)));
        }
    }

    /**
     * Validates an already parsed tree (for example one produced by applying patches), placing problems at
     * {@code marks}; pass {@link SourceMarks#empty()} when the tree has no source text.
     */
    public static LoadResult validate(Map<String, Object> tree, SourceMarks marks, String sourceName,
                                      ValidationMode mode, boolean strict) {
        ProblemCollector problems = new ProblemCollector(sourceName, marks);
        SchemaValidator.validate(tree, problems);
        if (!problems.hasErrors()) {
            // Semantic rules read values by their declared types, so they only run on a well-typed tree.
            SemanticValidator.validate(tree, problems, mode);
        }
        List<Problem> errors = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        for (Problem problem : problems.problems()) {
            if (problem.isError() || strict) {
                errors.add(problem.asError());
            } else {
                warnings.add(problem);
            }
        }
        if (!errors.isEmpty()) {
            return new LoadResult.Rejected(errors);
        }
        return new LoadResult.Loaded(MachineConfig.from(tree), warnings);
    }

    /**
     * Parses YAML text into the generic tree of its v1alpha1 document, with source marks, without checking it
     * against the schema. Fails on invalid YAML, on duplicate keys, on a document that is not a mapping, and on any
     * further document whose {@code apiVersion}/{@code kind} Basalt does not know.
     */
    public static TreeResult parseTree(String yamlText, String sourceName) {
        return switch (YamlTree.parseDocuments(yamlText == null ? "" : yamlText, sourceName)) {
            case YamlTree.Parse.Failed(List<Problem> problems) -> new TreeResult.Failed(problems);
            case YamlTree.Parse.Parsed(List<YamlTree.Document> documents) -> selectConfigDocument(documents, sourceName);
        };
    }

    @SuppressWarnings("unchecked")
    private static TreeResult selectConfigDocument(List<YamlTree.Document> documents, String sourceName) {
        List<Problem> problems = new ArrayList<>();
        YamlTree.Document config = null;
        for (YamlTree.Document document : documents) {
            if (!(document.root() instanceof Map<?, ?> map)) {
                problems.add(Problem.error(sourceName, "", document.start(), "a config document must be a mapping, found "
                        + YamlTree.typeName(document.root())));
                continue;
            }
            if (map.containsKey("kind") || map.containsKey("apiVersion")) {
                problems.add(Problem.error(sourceName, "", document.start(), "unsupported config document kind '"
                        + map.get("kind") + "' (apiVersion '" + map.get("apiVersion")
                        + "'); Basalt reads only the v1alpha1 machine config document (version: v1alpha1)"));
                continue;
            }
            if (config != null) {
                problems.add(Problem.error(sourceName, "", document.start(),
                        "a second v1alpha1 document; a config holds exactly one"));
                continue;
            }
            config = document;
        }
        if (config == null && problems.isEmpty()) {
            problems.add(Problem.error(sourceName, "", new Mark(1, 1), "empty config; expected a v1alpha1 document"));
        }
        if (!problems.isEmpty()) {
            return new TreeResult.Failed(problems);
        }
        return new TreeResult.Parsed((Map<String, Object>) config.root(), config.marks());
    }
}
