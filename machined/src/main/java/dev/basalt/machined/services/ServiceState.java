package dev.basalt.machined.services;

/**
 * The life-cycle states of a supervised service, named as Talos' {@code ServiceList} reports them (the
 * {@code state} string of {@code ServiceInfo} and of each {@code ServiceEvent}).
 */
public enum ServiceState {
    /** Registered, not started yet. */
    INITIALIZED("Initialized"),
    /** Waiting for dependencies or conditions. */
    WAITING("Waiting"),
    /** Running its preparation step (writing config, issuing certificates). */
    PREPARING("Preparing"),
    /** The runner is being launched. */
    STARTING("Starting"),
    /** The runner is up. */
    RUNNING("Running"),
    /** A stop was requested and the runner is being terminated. */
    STOPPING("Stopping"),
    /** The runner exited cleanly, or the service was stopped on request. */
    FINISHED("Finished"),
    /** The runner exited with an error, or preparation failed; a restart may follow. */
    FAILED("Failed"),
    /** A condition said the service does not apply to this node. */
    SKIPPED("Skipped");

    private final String display;

    ServiceState(String display) {
        this.display = display;
    }

    /** The name as the API shows it ({@code Running}). */
    public String display() {
        return display;
    }

    /** Whether the service's loop has ended and nothing runs until a start request. */
    public boolean isTerminal() {
        return this == FINISHED || this == SKIPPED;
    }
}
