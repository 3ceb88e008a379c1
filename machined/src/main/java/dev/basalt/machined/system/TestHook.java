package dev.basalt.machined.system;

import java.util.Locale;
import java.util.Optional;

/**
 * Behaviours the image tests trigger on purpose through the kernel command line ({@code basalt.test=NAME}), so
 * that PID 1's real code paths — reaping, signal-driven shutdown, fatal-error reboot — can be observed on the
 * serial console. Nothing here runs unless the command line asks for it.
 */
public enum TestHook {
    /** Start a process that leaves an orphan behind for the reaper. */
    ORPHAN,
    /** Send SIGTERM to PID 1 through kill(2) once Initialize is done. */
    SIGTERM,
    /** Fail a task of the Initialize sequence. */
    FATAL;

    public static Optional<TestHook> fromCommandLine(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(value.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("basalt.test=" + value + " is not a test hook; expected orphan, sigterm"
                    + " or fatal");
        }
    }
}
