package dev.basalt.machined.sequencer;

import java.time.Duration;

/**
 * How a sequence run ended.
 */
public sealed interface SequenceOutcome permits SequenceOutcome.Completed, SequenceOutcome.Failed {
    String sequence();

    /** Every task succeeded. */
    record Completed(String sequence, int tasks, Duration elapsed) implements SequenceOutcome {
    }

    /** {@code task} threw {@code cause}; the tasks after it did not run. */
    record Failed(String sequence, String task, Throwable cause) implements SequenceOutcome {
    }
}
