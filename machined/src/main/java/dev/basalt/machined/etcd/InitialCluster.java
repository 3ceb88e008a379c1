package dev.basalt.machined.etcd;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * etcd's {@code --initial-cluster} and {@code --initial-cluster-state}: the members (name to peer URL) a new
 * member starts with, and whether it forms a new cluster (bootstrap) or joins an existing one.
 */
public record InitialCluster(State state, Map<String, String> members) {
    /** {@code new} for the bootstrap node, {@code existing} for a node added with MemberAdd. */
    public enum State {
        NEW("new"), EXISTING("existing");

        private final String flag;

        State(String flag) {
            this.flag = flag;
        }

        public String flag() {
            return flag;
        }
    }

    public InitialCluster {
        members = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(members));
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an initial cluster needs at least one member");
        }
    }

    public static InitialCluster bootstrap(EtcdSettings self) {
        return new InitialCluster(State.NEW, Map.of(self.name(), self.peerUrl()));
    }

    public String flag() {
        return members.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
