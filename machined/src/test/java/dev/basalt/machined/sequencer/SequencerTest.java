package dev.basalt.machined.sequencer;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SequencerTest {
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final AtomicLong clock = new AtomicLong();
    private final Sequencer sequencer = new Sequencer(new PrintStream(output, true), () -> clock.addAndGet(5_000_000));

    @Test
    void runsTasksInOrderAndNumbersThemOnTheConsole() {
        List<String> ran = new ArrayList<>();
        SequenceOutcome outcome = sequencer.run(new Sequence("initialize", List.of(
                new Task("first", () -> { ran.add("first"); return "did one"; }),
                new Task("second", () -> { ran.add("second"); return null; }))));

        assertThat(ran).containsExactly("first", "second");
        assertThat(outcome).isInstanceOf(SequenceOutcome.Completed.class);
        assertThat(output.toString()).contains("[basalt] task first (1/2): did one (5 ms)")
                .contains("[basalt] task second (2/2): done")
                .contains("[basalt] sequence initialize: done in");
    }

    @Test
    void aFailingTaskStopsTheSequenceAndIsNamed() {
        List<String> ran = new ArrayList<>();
        SequenceOutcome outcome = sequencer.run(new Sequence("boot", List.of(
                new Task("mountEphemeral", () -> { throw new IllegalStateException("no EPHEMERAL partition"); }),
                new Task("startServices", () -> { ran.add("startServices"); return "ok"; }))));

        assertThat(ran).isEmpty();
        assertThat(outcome).isInstanceOfSatisfying(SequenceOutcome.Failed.class, failed -> {
            assertThat(failed.task()).isEqualTo("mountEphemeral");
            assertThat(failed.cause()).hasMessage("no EPHEMERAL partition");
        });
        assertThat(output.toString()).contains("task mountEphemeral (1/2): FAILED")
                .contains("sequence boot: failed at mountEphemeral");
    }

    @Test
    void taskNamesAreLowerCamelCase() {
        assertThatThrownBy(() -> new Task("Load config", () -> "")).hasMessageContaining("Load config");
        assertThatThrownBy(() -> new Sequence("empty", List.of())).hasMessageContaining("empty");
    }
}
