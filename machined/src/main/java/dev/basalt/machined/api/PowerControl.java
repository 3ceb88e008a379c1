package dev.basalt.machined.api;

/**
 * Reboot and power-off of the node. As PID 1 the sequencer implements it; as an ordinary process,
 * {@link ProcessPower} stops the process for shutdown and refuses reboot.
 *
 * <p>Implementations must be thread-safe.
 */
public interface PowerControl {
    /** Schedules a reboot after the reply has gone out. */
    Decision reboot(boolean powercycle);

    /** Schedules a power-off after the reply has gone out. */
    Decision shutdown(boolean force);

    /** Whether the request was taken. */
    sealed interface Decision permits Scheduled, Refused {
    }

    /** The action will happen; {@code actorId} identifies it in events. */
    record Scheduled(String actorId) implements Decision {
    }

    /** The action cannot happen here; {@code reason} names why. */
    record Refused(String reason) implements Decision {
    }
}
