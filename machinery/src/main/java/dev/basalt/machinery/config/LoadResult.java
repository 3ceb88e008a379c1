package dev.basalt.machinery.config;

import java.util.List;

/** Outcome of {@link ConfigLoader#load}: a validated config and its warnings, or every error found. */
public sealed interface LoadResult permits LoadResult.Loaded, LoadResult.Rejected {

    /** The config is valid; {@code warnings} lists keys Basalt accepts but does not act on, and similar notes. */
    record Loaded(MachineConfig config, List<Problem> warnings) implements LoadResult {
        public Loaded {
            warnings = List.copyOf(warnings);
        }
    }

    /** The config is not valid; {@code errors} holds every error found (never empty). */
    record Rejected(List<Problem> errors) implements LoadResult {
        public Rejected {
            errors = List.copyOf(errors);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("a rejected config needs at least one error");
            }
        }
    }
}
