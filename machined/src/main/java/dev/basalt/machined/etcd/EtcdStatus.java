package dev.basalt.machined.etcd;

import java.util.List;

/** One member's answer to {@code Maintenance/Status} (with the response header's cluster and member id). */
public record EtcdStatus(long clusterId, long memberId, String version, long dbSize, long leader, long raftIndex,
                         long raftTerm, List<String> errors, boolean learner) {
    public EtcdStatus {
        errors = List.copyOf(errors);
    }

    /** A member that knows a leader and reports no errors (alarms) counts as healthy. */
    public boolean healthy() {
        return leader != 0 && errors.isEmpty();
    }
}
