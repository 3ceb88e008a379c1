package dev.basalt.machined.etcd;

import java.util.List;
import java.util.Objects;

/**
 * An etcd cluster member as {@code etcdserverpb.Member} carries it. A member that was added but has not
 * started yet has an empty {@code name} and no client URLs.
 */
public record EtcdMember(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {
    public EtcdMember {
        Objects.requireNonNull(name, "name");
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }

    public boolean started() {
        return !name.isEmpty();
    }

    /** The id as etcdctl prints it (hex). */
    public String hexId() {
        return Long.toHexString(id);
    }
}
