package dev.basalt.machined.sequencer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Runs {@link Sequence}s one at a time and reports each task on the console:
 * <pre>
 *   [basalt] sequence initialize: 4 tasks
 *   [basalt] task loadConfig (3/4): no config found; entering maintenance mode (12 ms)
 *   [basalt] sequence initialize: done in 85 ms
 * </pre>
 * A failing task stops its sequence; the caller decides what a failure means (for Initialize: fatal).
 *
 * <p>Thread-safe: {@link #run} is serialised, so two sequences never interleave.
 */
public final class Sequencer {
    private final PrintStream console;
    private final LongSupplier nanoClock;

    public Sequencer(PrintStream console, LongSupplier nanoClock) {
        this.console = console;
        this.nanoClock = nanoClock;
    }

    public synchronized SequenceOutcome run(Sequence sequence) {
        List<Task> tasks = sequence.tasks();
        long start = nanoClock.getAsLong();
        print("sequence " + sequence.name() + ": " + tasks.size() + " tasks");
        for (int i = 0; i < tasks.size(); i++) {
            Task task = tasks.get(i);
            String label = "task " + task.name() + " (" + (i + 1) + "/" + tasks.size() + ")";
            long taskStart = nanoClock.getAsLong();
            try {
                String result = task.action().run();
                print(label + ": " + (result == null || result.isBlank() ? "done" : result) + " ("
                        + millisSince(taskStart) + " ms)");
            } catch (Exception | Error e) {
                print(label + ": FAILED: " + e);
                print("sequence " + sequence.name() + ": failed at " + task.name());
                return new SequenceOutcome.Failed(sequence.name(), task.name(), e);
            }
        }
        Duration elapsed = Duration.ofNanos(nanoClock.getAsLong() - start);
        print("sequence " + sequence.name() + ": done in " + elapsed.toMillis() + " ms");
        return new SequenceOutcome.Completed(sequence.name(), tasks.size(), elapsed);
    }

    private long millisSince(long start) {
        return (nanoClock.getAsLong() - start) / 1_000_000;
    }

    private void print(String line) {
        synchronized (console) {
            console.println("[basalt] " + line);
            console.flush();
        }
    }
}
