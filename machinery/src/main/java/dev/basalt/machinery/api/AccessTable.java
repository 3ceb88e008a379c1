package dev.basalt.machinery.api;

import static dev.basalt.machinery.api.CallShape.AGGREGATED_STREAM;
import static dev.basalt.machinery.api.CallShape.AGGREGATED_UNARY;
import static dev.basalt.machinery.api.CallShape.SINGLE_NODE;
import static dev.basalt.machinery.api.Role.ADMIN;
import static dev.basalt.machinery.api.Role.ETCD_BACKUP;
import static dev.basalt.machinery.api.Role.OPERATOR;
import static dev.basalt.machinery.api.Role.READER;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one table of node-API method to allowed roles (the same grants as Talos' authorization rules), and
 * how each method may be fanned out. apid consults it for every call; a method missing from the table is
 * open to {@link Role#ADMIN} only, as in Talos.
 *
 * <p>Immutable; thread-safe.
 */
public final class AccessTable {
    private static final Set<Role> READ = EnumSet.of(ADMIN, OPERATOR, READER);
    private static final Set<Role> READ_ETCD = EnumSet.of(ADMIN, OPERATOR, READER, ETCD_BACKUP);
    private static final Set<Role> OPERATE = EnumSet.of(ADMIN, OPERATOR);
    private static final Set<Role> ADMIN_ONLY = EnumSet.of(ADMIN);

    private static final Map<String, ApiMethod> METHODS = build();

    private AccessTable() {
    }

    private static Map<String, ApiMethod> build() {
        Map<String, ApiMethod> m = new LinkedHashMap<>();
        String machine = "machine.MachineService/";
        put(m, machine + "ApplyConfiguration", ADMIN_ONLY, AGGREGATED_UNARY);
        put(m, machine + "Bootstrap", ADMIN_ONLY, AGGREGATED_UNARY);
        put(m, machine + "Dmesg", READ, AGGREGATED_STREAM);
        put(m, machine + "EtcdMemberList", READ_ETCD, AGGREGATED_UNARY);
        put(m, machine + "EtcdRemoveMember", ADMIN_ONLY, AGGREGATED_UNARY);
        put(m, machine + "EtcdRemoveMemberByID", ADMIN_ONLY, AGGREGATED_UNARY);
        put(m, machine + "EtcdLeaveCluster", ADMIN_ONLY, AGGREGATED_UNARY);
        // Talos lets the etcd backup role take snapshots, and operators too.
        put(m, machine + "EtcdSnapshot", EnumSet.of(ADMIN, OPERATOR, ETCD_BACKUP), AGGREGATED_STREAM);
        put(m, machine + "EtcdStatus", READ, AGGREGATED_UNARY);
        put(m, machine + "Hostname", READ, AGGREGATED_UNARY);
        put(m, machine + "Kubeconfig", ADMIN_ONLY, AGGREGATED_STREAM);
        put(m, machine + "Logs", READ, AGGREGATED_STREAM);
        put(m, machine + "Memory", READ, AGGREGATED_UNARY);
        put(m, machine + "MetaWrite", ADMIN_ONLY, AGGREGATED_UNARY);
        put(m, machine + "MetaDelete", ADMIN_ONLY, AGGREGATED_UNARY);
        put(m, machine + "Mounts", READ, AGGREGATED_UNARY);
        put(m, machine + "Processes", READ, AGGREGATED_UNARY);
        put(m, machine + "Reboot", OPERATE, AGGREGATED_UNARY);
        put(m, machine + "Reset", ADMIN_ONLY, AGGREGATED_UNARY);
        put(m, machine + "ServiceList", READ, AGGREGATED_UNARY);
        put(m, machine + "ServiceRestart", OPERATE, AGGREGATED_UNARY);
        put(m, machine + "ServiceStart", OPERATE, AGGREGATED_UNARY);
        put(m, machine + "ServiceStop", OPERATE, AGGREGATED_UNARY);
        put(m, machine + "Shutdown", OPERATE, AGGREGATED_UNARY);
        put(m, machine + "Version", READ, AGGREGATED_UNARY);
        put(m, "storage.StorageService/Disks", READ, AGGREGATED_UNARY);
        put(m, "time.TimeService/Time", READ, AGGREGATED_UNARY);
        put(m, "time.TimeService/TimeCheck", READ, AGGREGATED_UNARY);
        put(m, "cluster.ClusterService/HealthCheck", READ, AGGREGATED_STREAM);
        put(m, "cosi.resource.State/Get", READ, SINGLE_NODE);
        put(m, "cosi.resource.State/List", READ, SINGLE_NODE);
        put(m, "cosi.resource.State/Watch", READ, SINGLE_NODE);
        return Collections.unmodifiableMap(m);
    }

    private static void put(Map<String, ApiMethod> m, String name, Set<Role> roles, CallShape shape) {
        m.put(name, new ApiMethod(name, roles, shape));
    }

    /**
     * The entry for a method; unknown methods get an admin-only, single-node entry.
     *
     * @param fullName e.g. {@code machine.MachineService/Version} (a leading slash is accepted)
     */
    public static ApiMethod lookup(String fullName) {
        String name = fullName.startsWith("/") ? fullName.substring(1) : fullName;
        ApiMethod method = METHODS.get(name);
        return method != null ? method : new ApiMethod(name, ADMIN_ONLY, SINGLE_NODE);
    }

    /** Every method in the table, in table order. */
    public static List<ApiMethod> methods() {
        return new ArrayList<>(METHODS.values());
    }
}
