package dev.basalt.machined.api;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The cluster-facing operations of the node API: applying a machine config, bootstrapping etcd, etcd membership
 * (list, remove, leave), etcd status and snapshots, and handing out an admin kubeconfig. The sequencer implements them on a real node;
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

    /** Status of the local etcd member, as {@code EtcdMemberStatus} reports it. */
    record MemberStatus(long memberId, String protocolVersion, long dbSize, long dbSizeInUse, long leader,
                        long raftIndex, long raftTerm, long raftAppliedIndex, List<String> errors, boolean learner) {
        public MemberStatus {
            errors = List.copyOf(errors);
        }
    }

    Applied apply(byte[] config, ApplyMode mode, boolean dryRun) throws NodeApiException;

    void bootstrap() throws NodeApiException;

    List<Member> etcdMembers(boolean queryLocal) throws NodeApiException;

    /** Removes the member named {@code hostname} (another node; a node leaves with {@link #etcdLeave()}). */
    void etcdRemoveMember(String hostname) throws NodeApiException;

    /** Removes the member with this id (e.g. one whose node is gone and never had a name). */
    void etcdRemoveMemberById(long id) throws NodeApiException;

    /** This node leaves the etcd cluster: removes itself, stops etcd, wipes its data. */
    void etcdLeave() throws NodeApiException;

    /** Streams a snapshot of the local member's database into {@code out}; returns the byte count. */
    long etcdSnapshot(OutputStream out) throws NodeApiException, IOException;

    MemberStatus etcdStatus() throws NodeApiException;

    byte[] kubeconfig() throws NodeApiException;
}
