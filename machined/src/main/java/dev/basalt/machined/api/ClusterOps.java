package dev.basalt.machined.api;

import java.util.List;

/**
 * The cluster-facing operations of the node API: applying a machine config, bootstrapping etcd, listing etcd
 * members, and handing out an admin kubeconfig. The sequencer implements them on a real node;
 * {@link UnconfiguredNode} answers for a machined that has no config and runs no etcd.
 *
 * <p>Implementations must be thread-safe.
 */
public interface ClusterOps {
    /** Apply modes, numbered as {@code ApplyConfigurationRequest.Mode}. */
    enum ApplyMode { REBOOT, AUTO, NO_REBOOT, STAGED, TRY }

    /** What an accepted apply did. */
    record Applied(ApplyMode mode, String details, List<String> warnings) {
        public Applied {
            warnings = List.copyOf(warnings);
        }
    }

    /** An etcd member. */
    record Member(long id, String hostname, List<String> peerUrls, List<String> clientUrls, boolean learner) {
    }

    Applied apply(byte[] config, ApplyMode mode, boolean dryRun) throws NodeApiException;

    void bootstrap() throws NodeApiException;

    List<Member> etcdMembers(boolean queryLocal) throws NodeApiException;

    byte[] kubeconfig() throws NodeApiException;
}
