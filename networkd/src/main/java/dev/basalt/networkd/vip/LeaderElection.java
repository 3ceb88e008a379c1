package dev.basalt.networkd.vip;

import java.io.IOException;
import java.time.Duration;

/**
 * Decides which node holds a shared address. Modelled on an etcd lease: a node holds leadership for a time-to-live
 * and must renew it before it runs out; a node that stops renewing (crash, partition) loses it when the TTL ends, a
 * node that stops cleanly resigns so another can take over at once.
 *
 * <p>The cluster implementation is backed by etcd (a key attached to a lease, written with a create-if-absent
 * transaction) and lives where the etcd client lives; tests use an in-memory double. Implementations are thread-safe.
 */
public interface LeaderElection extends AutoCloseable {
    /**
     * Tries to become leader, or to stay leader, for {@code ttl}; true when this node is leader afterwards.
     *
     * @throws IOException when the election backend cannot be reached; callers treat this as "not leader"
     */
    boolean acquireOrRenew(Duration ttl) throws IOException;

    /** Gives leadership up now, if held. */
    void resign() throws IOException;

    @Override
    void close();
}
