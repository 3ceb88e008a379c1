package dev.basalt.machined.api;

import java.io.OutputStream;
import java.util.List;

/**
 * {@link ClusterOps} of a machined without a sequencer behind it (an ordinary process): it holds no machine
 * config and runs no etcd, and says so with the same codes a real unconfigured node would use.
 *
 * <p>Stateless; thread-safe.
 */
public final class UnconfiguredNode implements ClusterOps {
    @Override
    public Applied apply(byte[] config, ApplyMode mode, boolean dryRun) throws NodeApiException {
        if (config.length == 0) {
            throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT,
                    "ApplyConfiguration: data is empty; expected a machine config document");
        }
        throw new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION,
                "ApplyConfiguration: this machined runs as an ordinary process without a sequencer; "
                        + "configs are applied only by machined as PID 1");
    }

    @Override
    public void bootstrap() throws NodeApiException {
        throw new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION,
                "Bootstrap: no machine config on this node, so it is not a control-plane node");
    }

    @Override
    public List<Member> etcdMembers(boolean queryLocal) throws NodeApiException {
        throw new NodeApiException(NodeApiException.Code.UNAVAILABLE,
                "EtcdMemberList: etcd is not running on this node");
    }

    @Override
    public void etcdRemoveMember(String hostname) throws NodeApiException {
        throw notRunning("EtcdRemoveMember");
    }

    @Override
    public void etcdRemoveMemberById(long id) throws NodeApiException {
        throw notRunning("EtcdRemoveMemberByID");
    }

    @Override
    public void etcdLeave() throws NodeApiException {
        throw notRunning("EtcdLeaveCluster");
    }

    @Override
    public long etcdSnapshot(OutputStream out) throws NodeApiException {
        throw notRunning("EtcdSnapshot");
    }

    @Override
    public MemberStatus etcdStatus() throws NodeApiException {
        throw notRunning("EtcdStatus");
    }

    private static NodeApiException notRunning(String method) {
        return new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION,
                method + ": no machine config on this node, so it runs no etcd");
    }

    @Override
    public byte[] kubeconfig() throws NodeApiException {
        throw new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION,
                "Kubeconfig: no machine config on this node, so there is no Kubernetes CA to sign with");
    }
}
