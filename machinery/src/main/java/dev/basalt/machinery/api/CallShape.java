package dev.basalt.machinery.api;

/**
 * How apid may route an RPC when the caller names several nodes.
 *
 * <p>Immutable; thread-safe.
 */
public enum CallShape {
    /**
     * Unary reply shaped {@code repeated Item messages = 1}, each item starting with {@code common.Metadata
     * metadata = 1}: replies from several nodes concatenate into one wrapper.
     */
    AGGREGATED_UNARY,
    /** Server stream whose every message starts with {@code common.Metadata metadata = 1}. */
    AGGREGATED_STREAM,
    /** A reply without per-node metadata (e.g. {@code cosi.resource.State}): one node per call only. */
    SINGLE_NODE
}
