package dev.basalt.machined.services;

import java.time.Instant;
import java.util.Optional;

/**
 * Health of a service as last observed, in the shape of Talos' {@code ServiceHealth}: {@code unknown} when the
 * service has no health check or none has completed yet.
 */
public record HealthStatus(boolean unknown, boolean healthy, String lastMessage, Optional<Instant> lastChange) {
    public static final HealthStatus UNKNOWN = new HealthStatus(true, false, "", Optional.empty());

    /** Whether the service counts as up for its dependents: healthy, or without a health check at all. */
    public boolean upForDependents(boolean hasHealthCheck) {
        return !hasHealthCheck || (!unknown && healthy);
    }
}
