package dev.basalt.machined.api;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * The cluster's members as this node knows them, for the {@code Members.cluster.talos.dev} resource. The
 * discovery registry implements it on a configured node; a node without a config knows no members.
 *
 * <p>Implementations must be thread-safe.
 */
public interface ClusterMembers {
    /** Knows nobody: the view of a node with no config. */
    ClusterMembers NONE = List::of;

    /** The members, sorted by id; a node that was removed or reset is no longer here. */
    List<Member> members() throws IOException;

    /**
     * One member, with the fields of Talos' {@code MemberSpec}.
     *
     * @param nodeId          stable identity of the node (Basalt uses the hostname)
     * @param machineType     {@code controlplane} or {@code worker}
     * @param operatingSystem e.g. {@code Basalt (v0.1.0)}
     */
    record Member(String nodeId, String hostname, String machineType, List<String> addresses,
                  String operatingSystem) {
        public Member {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(hostname, "hostname");
            Objects.requireNonNull(machineType, "machineType");
            addresses = List.copyOf(addresses);
            Objects.requireNonNull(operatingSystem, "operatingSystem");
        }

        /** The spec as YAML, in the key order Talos prints. */
        public String yaml() {
            StringBuilder b = new StringBuilder("nodeId: ").append(nodeId).append("\naddresses:\n");
            for (String a : addresses) {
                b.append("    - ").append(a).append('\n');
            }
            return b.append("hostname: ").append(hostname).append("\nmachineType: ").append(machineType)
                    .append("\noperatingSystem: ").append(operatingSystem).append('\n').toString();
        }
    }
}
