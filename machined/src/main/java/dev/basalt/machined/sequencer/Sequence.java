package dev.basalt.machined.sequencer;

import java.util.List;

/**
 * A named, ordered list of tasks run one after another (Initialize, Install, Boot, Reboot, Shutdown, ...).
 *
 * <p>Immutable; thread-safe as far as its tasks are.
 */
public record Sequence(String name, List<Task> tasks) {
    public Sequence {
        tasks = List.copyOf(tasks);
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("sequence " + name + " has no tasks");
        }
    }
}
