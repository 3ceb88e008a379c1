package dev.basalt.machined.services;

import java.time.Duration;
import java.util.Optional;

/**
 * Launches one run of a service. The supervisor calls {@link #start} each time the service (re)starts and owns
 * the returned {@link Run} until it exits.
 *
 * <p>Implementations must be thread-safe.
 */
public interface Runner {
    /** Starts a run whose output goes to {@code output}; throws if it cannot be started at all. */
    Run start(LineSink output) throws Exception;

    /** What runs, for events and errors (the command line of a process). */
    String description();

    /** A started run. Thread-safe. */
    interface Run {
        /** The process id, when the run is a process. */
        Optional<Long> pid();

        /** Waits for the run to end. */
        ExitStatus awaitExit() throws InterruptedException;

        /** Waits up to {@code timeout}; empty if still running. */
        Optional<ExitStatus> awaitExit(Duration timeout) throws InterruptedException;

        /** Asks the run to end (SIGTERM to the process and its descendants). */
        void terminate();

        /** Ends the run now (SIGKILL to the process and its descendants). */
        void kill();
    }

    /** How a run ended: an exit code, or the signal that killed it (POSIX shells report 128+N as code). */
    record ExitStatus(int code, String description) {
        public boolean success() {
            return code == 0;
        }

        public static ExitStatus ofCode(int code) {
            return new ExitStatus(code, code == 0 ? "exited with status 0"
                    : code > 128 && code < 160 ? "killed by signal " + (code - 128) : "exited with status " + code);
        }
    }
}
