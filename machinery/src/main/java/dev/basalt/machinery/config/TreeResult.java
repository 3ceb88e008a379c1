package dev.basalt.machinery.config;

import java.util.List;
import java.util.Map;

/**
 * Outcome of {@link ConfigLoader#parseTree}: the v1alpha1 document as a generic tree with its source marks, or the
 * problems that kept it from parsing. Never half a value.
 */
public sealed interface TreeResult permits TreeResult.Parsed, TreeResult.Failed {

    /** The document parsed; {@code tree} is mutable and owned by the caller. */
    record Parsed(Map<String, Object> tree, SourceMarks marks) implements TreeResult {
    }

    /** The text is not a single v1alpha1 document of valid YAML. */
    record Failed(List<Problem> problems) implements TreeResult {
        public Failed {
            problems = List.copyOf(problems);
        }
    }
}
