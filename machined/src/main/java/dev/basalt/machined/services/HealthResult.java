package dev.basalt.machined.services;

/** The outcome of one health probe. */
public sealed interface HealthResult permits HealthResult.Healthy, HealthResult.Unhealthy {
    String message();

    record Healthy(String message) implements HealthResult {
    }

    record Unhealthy(String message) implements HealthResult {
    }

    static HealthResult healthy(String message) {
        return new Healthy(message);
    }

    static HealthResult unhealthy(String message) {
        return new Unhealthy(message);
    }
}
