package dev.basalt.machined.services;

import java.time.Instant;
import java.util.Objects;

/** One state change of a service with the message that explains it, as {@code ServiceEvent} carries it. */
public record ServiceEvent(ServiceState state, String message, Instant at) {
    public ServiceEvent {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(at, "at");
    }
}
