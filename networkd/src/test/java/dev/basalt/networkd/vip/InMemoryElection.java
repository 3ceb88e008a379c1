package dev.basalt.networkd.vip;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * A TEST DOUBLE for {@link LeaderElection}: one shared in-memory lease (holder + expiry) that several nodes in one
 * test process compete for, with the same semantics the etcd-backed election has (TTL, renew, resign). Test code only.
 */
final class InMemoryElection {
    private final InstantSource clock;
    private String holder;
    private Instant expiry = Instant.MIN;

    InMemoryElection(InstantSource clock) {
        this.clock = clock;
    }

    synchronized String holder() {
        return holder != null && clock.instant().isBefore(expiry) ? holder : null;
    }

    /** The election as seen by node {@code name}. */
    LeaderElection node(String name) {
        return new LeaderElection() {
            @Override
            public boolean acquireOrRenew(Duration ttl) {
                synchronized (InMemoryElection.this) {
                    Instant now = clock.instant();
                    if (holder == null || !now.isBefore(expiry) || holder.equals(name)) {
                        holder = name;
                        expiry = now.plus(ttl);
                    }
                    return holder.equals(name);
                }
            }

            @Override
            public void resign() {
                synchronized (InMemoryElection.this) {
                    if (name.equals(holder)) {
                        holder = null;
                    }
                }
            }

            @Override
            public void close() {
            }
        };
    }
}
