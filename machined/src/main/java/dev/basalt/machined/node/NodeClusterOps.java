package dev.basalt.machined.node;

import dev.basalt.machined.api.ClusterOps;
import dev.basalt.machined.api.NodeApiException;
import dev.basalt.machined.etcd.EtcdException;
import dev.basalt.machined.etcd.EtcdMember;
import dev.basalt.machined.etcd.EtcdNode;
import dev.basalt.machined.etcd.EtcdStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link ClusterOps} of a configured node: etcd operations go to this node's {@link EtcdNode} on a control plane;
 * a worker runs no etcd and refuses them with FailedPrecondition, changing nothing. ApplyConfiguration is the
 * platform's {@link ConfigApplier}.
 *
 * <p>Thread-safe (EtcdNode serializes membership changes).
 */
public final class NodeClusterOps implements ClusterOps {
    /** How long Bootstrap waits for the new single-member cluster to report healthy. */
    static final Duration BOOTSTRAP_WAIT = Duration.ofSeconds(60);

    private final String hostname;
    private final Optional<EtcdNode> etcd;
    private final Runnable onMembershipChange;
    private final ConfigApplier applier;

    /**
     * A container node's: applying a config is refused (it is the container's {@code USERDATA}).
     *
     * @param etcd               this node's etcd (control planes), empty on a worker
     * @param onMembershipChange told after this node bootstraps or leaves (discovery republishes)
     */
    public NodeClusterOps(String hostname, Optional<EtcdNode> etcd, Runnable onMembershipChange) {
        this(hostname, etcd, onMembershipChange, containerApplier(hostname));
    }

    /**
     * @param applier what ApplyConfiguration does on this platform
     */
    public NodeClusterOps(String hostname, Optional<EtcdNode> etcd, Runnable onMembershipChange,
                          ConfigApplier applier) {
        this.hostname = hostname;
        this.etcd = etcd;
        this.onMembershipChange = onMembershipChange;
        this.applier = applier;
    }

    /** Refuses every apply: a container node's config is fixed when the container is created. */
    public static ConfigApplier containerApplier(String hostname) {
        return (config, mode, dryRun) -> {
            if (config.length == 0) {
                throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT,
                        "ApplyConfiguration: data is empty; expected a machine config document");
            }
            throw new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION, "ApplyConfiguration: node "
                    + hostname + " runs on the container platform, whose config is the container's USERDATA; "
                    + "recreate the node to change it");
        };
    }

    @Override
    public Applied apply(byte[] config, ApplyMode mode, boolean dryRun) throws NodeApiException {
        return applier.apply(config, mode, dryRun);
    }

    private EtcdNode etcd(String method) throws NodeApiException {
        return etcd.orElseThrow(() -> new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION, method
                + ": node " + hostname + " is a worker; etcd runs on control-plane nodes only"));
    }

    @Override
    public void bootstrap() throws NodeApiException {
        EtcdNode node = etcd("Bootstrap");
        try {
            node.bootstrap(BOOTSTRAP_WAIT);
        } catch (EtcdException e) {
            throw translate("Bootstrap", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeApiException(NodeApiException.Code.UNAVAILABLE, "Bootstrap: interrupted on node " + hostname);
        }
        onMembershipChange.run();
    }

    @Override
    public List<Member> etcdMembers(boolean queryLocal) throws NodeApiException {
        EtcdNode node = etcd("EtcdMemberList");
        requireMember(node, "EtcdMemberList");
        try {
            List<Member> out = new ArrayList<>();
            for (EtcdMember m : node.members()) {
                out.add(new Member(m.id(), m.name(), m.peerUrls(), m.clientUrls(), m.learner()));
            }
            return out;
        } catch (EtcdException e) {
            throw translate("EtcdMemberList", e);
        }
    }

    @Override
    public void etcdRemoveMember(String member) throws NodeApiException {
        EtcdNode node = etcd("EtcdRemoveMember");
        requireMember(node, "EtcdRemoveMember");
        try {
            node.removeMember(member);
        } catch (EtcdException e) {
            throw translate("EtcdRemoveMember", e);
        }
        onMembershipChange.run();
    }

    @Override
    public void etcdRemoveMemberById(long id) throws NodeApiException {
        EtcdNode node = etcd("EtcdRemoveMemberByID");
        requireMember(node, "EtcdRemoveMemberByID");
        try {
            node.removeMember(Long.toHexString(id));
        } catch (EtcdException e) {
            throw translate("EtcdRemoveMemberByID", e);
        }
        onMembershipChange.run();
    }

    @Override
    public void etcdLeave() throws NodeApiException {
        EtcdNode node = etcd("EtcdLeaveCluster");
        try {
            node.leave();
        } catch (EtcdException e) {
            throw translate("EtcdLeaveCluster", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeApiException(NodeApiException.Code.UNAVAILABLE, "EtcdLeaveCluster: interrupted on node "
                    + hostname);
        }
        onMembershipChange.run();
    }

    @Override
    public long etcdSnapshot(OutputStream out) throws NodeApiException, IOException {
        EtcdNode node = etcd("EtcdSnapshot");
        requireMember(node, "EtcdSnapshot");
        try {
            return node.snapshot(out);
        } catch (EtcdException e) {
            throw translate("EtcdSnapshot", e);
        }
    }

    @Override
    public MemberStatus etcdStatus() throws NodeApiException {
        EtcdNode node = etcd("EtcdStatus");
        requireMember(node, "EtcdStatus");
        try {
            EtcdStatus s = node.status();
            return new MemberStatus(s.memberId(), s.version(), s.dbSize(), s.dbSize(), s.leader(), s.raftIndex(),
                    s.raftTerm(), s.raftIndex(), s.errors(), s.learner());
        } catch (EtcdException e) {
            throw translate("EtcdStatus", e);
        }
    }

    @Override
    public byte[] kubeconfig() throws NodeApiException {
        throw new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION, "Kubeconfig: node " + hostname
                + " runs no Kubernetes control plane (no kube-apiserver binary is part of Basalt's image)");
    }

    /** etcd calls before bootstrap or join would only time out against a member that is not running. */
    private void requireMember(EtcdNode node, String method) throws NodeApiException {
        if (!node.planned()) {
            throw new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION, method + ": etcd on node "
                    + hostname + " is not running yet: the cluster is not bootstrapped (run 'basaltctl bootstrap' "
                    + "on one control-plane node) or this node has not joined it yet");
        }
    }

    static NodeApiException translate(String method, EtcdException e) {
        NodeApiException.Code code = switch (e.reason()) {
            case FAILED_PRECONDITION -> NodeApiException.Code.FAILED_PRECONDITION;
            case UNAVAILABLE -> NodeApiException.Code.UNAVAILABLE;
            case NOT_FOUND -> NodeApiException.Code.NOT_FOUND;
            case INVALID_ARGUMENT -> NodeApiException.Code.INVALID_ARGUMENT;
            case FAILED -> NodeApiException.Code.INTERNAL;
        };
        return new NodeApiException(code, method + ": " + e.getMessage());
    }
}
