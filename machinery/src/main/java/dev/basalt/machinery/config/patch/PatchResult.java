package dev.basalt.machinery.config.patch;

import dev.basalt.machinery.config.Problem;
import java.util.List;
import java.util.Map;

/** Outcome of applying patches: the new tree (a fresh copy; the input is never changed), or why it failed. */
public sealed interface PatchResult permits PatchResult.Applied, PatchResult.Failed {

    record Applied(Map<String, Object> tree) implements PatchResult {
    }

    record Failed(List<Problem> problems) implements PatchResult {
        public Failed {
            problems = List.copyOf(problems);
        }
    }
}
