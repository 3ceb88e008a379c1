package dev.basalt.machined.services;

import java.util.List;
import java.util.Optional;

/** A service as observed at one moment: state, last event message, event history (oldest first), health, pid. */
public record ServiceSnapshot(String id, ServiceState state, String message, List<ServiceEvent> events,
                              HealthStatus health, Optional<Long> pid, int restarts) {
    public ServiceSnapshot {
        events = List.copyOf(events);
    }
}
