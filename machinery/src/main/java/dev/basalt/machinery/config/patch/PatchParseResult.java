package dev.basalt.machinery.config.patch;

import dev.basalt.machinery.config.Problem;
import java.util.List;

/** Outcome of {@link Patch#parse}: a patch ready to apply, or every problem found in its text. */
public sealed interface PatchParseResult permits PatchParseResult.Parsed, PatchParseResult.Rejected {

    record Parsed(Patch patch) implements PatchParseResult {
    }

    record Rejected(List<Problem> problems) implements PatchParseResult {
        public Rejected {
            problems = List.copyOf(problems);
        }
    }
}
