package dev.basalt.machined.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the node API needs from machined's service supervisor: the services, their state and events, their
 * logs, and start/stop/restart. The supervisor implements it; until a supervisor runs (machined as an
 * ordinary process), {@link SelfServices} reports machined itself.
 *
 * <p>Implementations must be thread-safe.
 */
public interface ServiceControl {
    /** Every registered service, in a stable order. */
    List<ServiceStatus> list();

    /** The log of a registered service. */
    Optional<ServiceLog> log(String id);

    /** Starts a registered service; the outcome's message is what the API answers in {@code resp}. */
    Outcome start(String id);

    Outcome stop(String id);

    Outcome restart(String id);

    /** A service as the API reports it. */
    record ServiceStatus(String id, String state, List<Event> events, Health health) {
        public ServiceStatus {
            events = List.copyOf(events);
        }
    }

    /** One state change of a service. */
    record Event(String message, String state, Instant at) {
    }

    /** Health as last observed; {@code unknown} when the service has no health check. */
    record Health(boolean unknown, boolean healthy, String lastMessage, Optional<Instant> lastChange) {
    }

    /** Result of a start/stop/restart request. */
    sealed interface Outcome permits Accepted, UnknownService, Refused {
    }

    /** The supervisor took the request; {@code message} says what it will do. */
    record Accepted(String message) implements Outcome {
    }

    /** No service has that id. */
    record UnknownService(String id, List<String> known) implements Outcome {
    }

    /** The service exists but the request cannot be honoured; {@code reason} says why. */
    record Refused(String reason) implements Outcome {
    }
}
