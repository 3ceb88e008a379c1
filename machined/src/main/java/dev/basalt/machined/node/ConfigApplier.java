package dev.basalt.machined.node;

import dev.basalt.machined.api.ClusterOps;
import dev.basalt.machined.api.NodeApiException;

/**
 * What ApplyConfiguration does on a configured node; the platform decides (a container's config is fixed at
 * creation, a metal node keeps its config on STATE).
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface ConfigApplier {
    ClusterOps.Applied apply(byte[] config, ClusterOps.ApplyMode mode, boolean dryRun) throws NodeApiException;
}
