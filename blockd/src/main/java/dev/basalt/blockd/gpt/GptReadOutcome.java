package dev.basalt.blockd.gpt;

import java.util.Optional;

/** What reading a disk's partition table found. */
public sealed interface GptReadOutcome {
    /** The table, when one of the two copies was valid. */
    Optional<GptTable> table();

    /**
     * The primary header and entries are valid.
     *
     * @param backupProblem why the backup copy is unusable, if it is (the table is still good)
     */
    record Valid(GptTable value, Optional<String> backupProblem) implements GptReadOutcome {
        @Override
        public Optional<GptTable> table() {
            return Optional.of(value);
        }
    }

    /**
     * The primary header or its entries are damaged; the table comes from the backup copy.
     *
     * @param primaryProblem what is wrong with the primary copy
     */
    record RecoveredFromBackup(GptTable value, String primaryProblem) implements GptReadOutcome {
        @Override
        public Optional<GptTable> table() {
            return Optional.of(value);
        }
    }

    /** Neither copy is valid: the disk has no GPT (blank, MBR-only, or destroyed). */
    record Absent(String primaryProblem, String backupProblem) implements GptReadOutcome {
        @Override
        public Optional<GptTable> table() {
            return Optional.empty();
        }
    }
}
