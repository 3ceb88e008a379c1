package dev.basalt.machined.discovery;

import dev.basalt.machined.api.ClusterMembers;
import dev.basalt.machined.etcd.EtcdException;
import dev.basalt.machined.etcd.EtcdMember;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster members as this node knows them (see machined/README.md, "Discovery"):
 * <ul>
 *   <li>control planes: every started etcd member, named by its member name (the node's hostname) with the
 *       address of its peer URL. etcd's member list is the authority, so a member removed with
 *       {@code etcd remove-member} or {@code etcd leave} drops out of the list with the next read;</li>
 *   <li>workers: affiliates that announced themselves to this node ({@link #announce}) within their time to live,
 *       or said goodbye ({@link #forget}), which removes them at once;</li>
 *   <li>this node itself, always (it is a member as long as it runs).</li>
 * </ul>
 * A worker has no etcd; it learns the list from the control plane that answers its announcements
 * ({@link #adopt}).
 *
 * <p>Thread-safe: all state is guarded by this object's monitor; the etcd read happens outside it.
 */
public final class MemberRegistry implements ClusterMembers {
    /** How the registry reads etcd's members; empty when this node runs no etcd or it is not a member yet. */
    @FunctionalInterface
    public interface EtcdMembers {
        Optional<List<EtcdMember>> list() throws EtcdException;
    }

    private final Member self;
    private final EtcdMembers etcd;
    private final Clock clock;
    private final Map<String, Affiliate> affiliates = new LinkedHashMap<>();
    private List<Member> adopted = List.of();

    private record Affiliate(Member member, Instant expires) {
    }

    public MemberRegistry(Member self, EtcdMembers etcd, Clock clock) {
        this.self = self;
        this.etcd = etcd;
        this.clock = clock;
    }

    public Member self() {
        return self;
    }

    /** An affiliate (a worker) says it is alive; it stays listed for {@code ttl} unless it announces again. */
    public synchronized void announce(Member member, Duration ttl) {
        affiliates.put(member.nodeId(), new Affiliate(member, clock.instant().plus(ttl)));
    }

    /** An affiliate is gone (it stopped or was reset): drop it now. */
    public synchronized boolean forget(String nodeId) {
        return affiliates.remove(nodeId) != null;
    }

    /** On a worker: the list a control plane answered with replaces what this node knew. */
    public synchronized void adopt(List<Member> members) {
        adopted = List.copyOf(members);
    }

    @Override
    public List<Member> members() {
        Map<String, Member> out = new LinkedHashMap<>();
        out.put(self.nodeId(), self);
        Optional<List<EtcdMember>> etcdMembers;
        try {
            etcdMembers = etcd.list();
        } catch (EtcdException e) {
            // etcd not answering (quorum lost, member stopping): report what is known without it.
            etcdMembers = Optional.empty();
        }
        synchronized (this) {
            for (Member m : adopted) {
                out.putIfAbsent(m.nodeId(), m);
            }
            if (etcdMembers.isPresent()) {
                // etcd is the authority on control planes: keep only those that are etcd members now.
                out.values().removeIf(m -> m.machineType().equals("controlplane") && !m.nodeId().equals(self.nodeId()));
                for (EtcdMember m : etcdMembers.get()) {
                    if (m.started()) {
                        out.put(m.name(), new Member(m.name(), m.name(), "controlplane", hosts(m.peerUrls()),
                                self.operatingSystem()));
                    }
                }
            }
            Instant now = clock.instant();
            affiliates.values().removeIf(a -> a.expires().isBefore(now));
            for (Affiliate a : affiliates.values()) {
                out.putIfAbsent(a.member().nodeId(), a.member());
            }
        }
        List<Member> sorted = new ArrayList<>(out.values());
        sorted.sort(Comparator.comparing(Member::nodeId));
        return sorted;
    }

    private static List<String> hosts(List<String> urls) {
        List<String> hosts = new ArrayList<>();
        for (String url : urls) {
            try {
                String host = URI.create(url).getHost();
                if (host != null) {
                    hosts.add(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
                }
            } catch (IllegalArgumentException e) {
                // a peer URL etcd accepted but URI does not: leave it out rather than fail the whole list
            }
        }
        return hosts.stream().distinct().toList();
    }
}
