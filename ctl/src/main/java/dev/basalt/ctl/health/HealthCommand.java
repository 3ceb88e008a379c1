package dev.basalt.ctl.health;

import com.google.protobuf.Empty;
import dev.basalt.ctl.cli.CliException;
import dev.basalt.ctl.cli.Command;
import dev.basalt.ctl.cli.Flag;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.ctl.cli.UsageException;
import dev.basalt.ctl.etcd.ClusterSession;
import dev.basalt.machinery.api.machine.EtcdMember;
import dev.basalt.machinery.api.machine.EtcdMemberListRequest;
import dev.basalt.machinery.api.machine.EtcdMembers;
import dev.basalt.machinery.api.machine.EtcdStatus;
import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import dev.basalt.machinery.api.machine.ServiceInfo;
import dev.basalt.machinery.api.machine.ServiceList;
import dev.basalt.machinery.api.machine.Version;
import dev.basalt.machinery.api.resource.ListRequest;
import dev.basalt.machinery.api.resource.ListResponse;
import dev.basalt.machinery.api.resource.StateGrpc;
import io.grpc.StatusRuntimeException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code basaltctl health}: checks the cluster from the client, in order, each until it passes or the overall
 * {@code --wait-timeout} runs out:
 * <ol>
 *   <li>etcd to be healthy: every control plane's etcd member answers Status with a leader and no alarms;</li>
 *   <li>etcd members to be consistent with the control planes: every control plane is listed, nothing else is;</li>
 *   <li>apid to be ready: every node answers Version;</li>
 *   <li>Basalt services to be healthy: apid (every node), trustd and etcd (control planes).</li>
 * </ol>
 * Every call has its own deadline ({@link #CALL_DEADLINE}) and the nodes of one check are asked in parallel, so
 * one attempt is bounded and the command never hangs; a failure names the node. Without
 * {@code --control-plane-nodes}/{@code --worker-nodes} the nodes come from the endpoint node's {@code members}
 * resource.
 */
public final class HealthCommand implements Command {
    static final Duration CALL_DEADLINE = Duration.ofSeconds(5);
    private static final Duration RETRY = Duration.ofSeconds(1);

    @Override
    public String name() {
        return "health";
    }

    @Override
    public String summary() {
        return "Check cluster health";
    }

    @Override
    public List<Flag> flags() {
        return List.of(Flag.slice("control-plane-nodes", "", "specify IPs of control plane nodes"),
                Flag.slice("worker-nodes", "", "specify IPs of worker nodes"),
                Flag.duration("wait-timeout", "", "20m", "timeout to wait for the cluster to be ready"));
    }

    /** One check: a name as the console shows it, and one bounded attempt returning the failures by node. */
    private record Check(String name, Attempt attempt) {
    }

    @FunctionalInterface
    private interface Attempt {
        /** Node -> what is wrong; empty when the check passes. */
        Map<String, String> run() throws InterruptedException;
    }

    @Override
    public int run(Invocation inv) throws InterruptedException {
        if (!inv.args().isEmpty()) {
            throw new UsageException("'health' takes no arguments, got " + inv.args());
        }
        Duration wait = inv.duration("wait-timeout");
        long deadline = System.nanoTime() + wait.toNanos();
        PrintStream out = inv.out();
        try (ClusterSession session = ClusterSession.open(inv);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<String> controlPlanes = inv.strings("control-plane-nodes");
            List<String> workers = inv.strings("worker-nodes");
            if (controlPlanes.isEmpty() && workers.isEmpty()) {
                Map<String, List<String>> discovered = discover(session);
                controlPlanes = discovered.getOrDefault("controlplane", List.of());
                workers = discovered.getOrDefault("worker", List.of());
                out.println("discovered nodes: control plane " + controlPlanes + ", worker " + workers);
            }
            if (controlPlanes.isEmpty()) {
                throw new CliException("health: no control-plane nodes; pass --control-plane-nodes");
            }
            List<String> cps = List.copyOf(controlPlanes);
            List<String> all = new ArrayList<>(cps);
            workers.stream().filter(w -> !all.contains(w)).forEach(all::add);

            List<Check> checks = List.of(
                    new Check("etcd to be healthy", () -> perNode(pool, session, cps, deadline,
                            HealthCommand::etcdHealthy)),
                    new Check("etcd members to be consistent with the control-plane nodes",
                            () -> membersConsistent(session, cps)),
                    new Check("apid to be ready", () -> perNode(pool, session, all, deadline,
                            HealthCommand::apidReady)),
                    new Check("Basalt services to be healthy", () -> perNode(pool, session, all, deadline,
                            (s, node) -> servicesHealthy(s, node, cps.contains(node)))));
            for (Check check : checks) {
                String last = "";
                while (true) {
                    Map<String, String> failures = System.nanoTime() < deadline ? check.attempt().run()
                            : Map.of("-", "the wait timeout passed before this check could run");
                    if (failures.isEmpty()) {
                        out.println("waiting for " + check.name() + ": OK");
                        break;
                    }
                    String report = describe(failures);
                    if (!report.equals(last)) {
                        out.println("waiting for " + check.name() + ": " + report);
                        last = report;
                    }
                    if (System.nanoTime() + RETRY.toNanos() >= deadline) {
                        throw new CliException("health check failed after " + wait.toSeconds() + " s: "
                                + check.name() + ": " + report);
                    }
                    Thread.sleep(RETRY);
                }
            }
            return 0;
        }
    }

    private static String describe(Map<String, String> failures) {
        List<String> parts = new ArrayList<>();
        failures.forEach((node, what) -> parts.add("node " + node + ": " + what));
        return String.join("; ", parts);
    }

    @FunctionalInterface
    private interface NodeProbe {
        /** Empty string when healthy, otherwise what is wrong. Must respect {@link #CALL_DEADLINE}. */
        String probe(ClusterSession session, String node);
    }

    /** Probes every node in parallel; a probe that outlives its deadline (plus slack) counts as failed. */
    private static Map<String, String> perNode(ExecutorService pool, ClusterSession session, List<String> nodes,
                                               long deadline, NodeProbe probe) throws InterruptedException {
        Map<String, Future<String>> futures = new LinkedHashMap<>();
        for (String node : nodes) {
            futures.put(node, pool.submit(() -> {
                try {
                    return probe.probe(session, node);
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED) {
                        return "no answer within " + CALL_DEADLINE.toSeconds() + " s";
                    }
                    return ClusterSession.describe(e);
                } catch (RuntimeException e) {
                    return e.getMessage() == null ? e.toString() : e.getMessage();
                }
            }));
        }
        // One attempt never outlives the overall deadline, so health returns on time even mid-attempt.
        long until = Math.min(System.nanoTime() + CALL_DEADLINE.plusSeconds(2).toNanos(), deadline);
        Map<String, String> failures = new LinkedHashMap<>();
        for (var e : futures.entrySet()) {
            try {
                String problem = e.getValue().get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (!problem.isEmpty()) {
                    failures.put(e.getKey(), problem);
                }
            } catch (TimeoutException t) {
                e.getValue().cancel(true);
                failures.put(e.getKey(), "no answer before the deadline");
            } catch (ExecutionException x) {
                failures.put(e.getKey(), String.valueOf(x.getCause()));
            }
        }
        return failures;
    }

    private static MachineServiceGrpc.MachineServiceBlockingStub stub(io.grpc.Channel ch) {
        return MachineServiceGrpc.newBlockingStub(ch).withDeadlineAfter(CALL_DEADLINE.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    static String etcdHealthy(ClusterSession session, String node) {
        EtcdStatus s = session.callRaw(List.of(node), ch -> stub(ch).etcdStatus(Empty.getDefaultInstance()))
                .getMessages(0);
        if (!s.getMetadata().getError().isEmpty()) {
            return "etcd status: " + s.getMetadata().getError();
        }
        if (s.getMemberStatus().getLeader() == 0) {
            return "etcd member " + Long.toHexString(s.getMemberStatus().getMemberId()) + " has no leader";
        }
        if (s.getMemberStatus().getIsLearner()) {
            return "etcd member " + Long.toHexString(s.getMemberStatus().getMemberId())
                    + " is still a learner (not promoted to a voting member yet)";
        }
        if (s.getMemberStatus().getErrorsCount() > 0) {
            return "etcd alarms: " + s.getMemberStatus().getErrorsList();
        }
        return "";
    }

    static String apidReady(ClusterSession session, String node) {
        Version v = session.callRaw(List.of(node), ch -> stub(ch).version(Empty.getDefaultInstance())).getMessages(0);
        return v.getMetadata().getError().isEmpty() ? "" : "version: " + v.getMetadata().getError();
    }

    static String servicesHealthy(ClusterSession session, String node, boolean controlPlane) {
        ServiceList list = session.callRaw(List.of(node), ch -> stub(ch).serviceList(Empty.getDefaultInstance()))
                .getMessages(0);
        if (!list.getMetadata().getError().isEmpty()) {
            return "service list: " + list.getMetadata().getError();
        }
        Set<String> wanted = new LinkedHashSet<>(List.of("apid"));
        if (controlPlane) {
            wanted.addAll(List.of("trustd", "etcd"));
        }
        List<String> problems = new ArrayList<>();
        for (ServiceInfo s : list.getServicesList()) {
            if (wanted.remove(s.getId())) {
                if (!s.getState().equals("Running") || (!s.getHealth().getUnknown() && !s.getHealth().getHealthy())) {
                    problems.add(s.getId() + " is " + s.getState() + (s.getHealth().getUnknown() ? ""
                            : s.getHealth().getHealthy() ? ", healthy" : ", unhealthy: " + s.getHealth().getLastMessage()));
                }
            }
        }
        wanted.forEach(id -> problems.add(id + " is not registered"));
        return String.join(", ", problems);
    }

    /** Asks each control plane in turn (first that answers) and compares the member list with the given nodes. */
    private static Map<String, String> membersConsistent(ClusterSession session, List<String> controlPlanes) {
        Map<String, String> failures = new LinkedHashMap<>();
        for (String node : controlPlanes) {
            EtcdMembers reply;
            try {
                reply = session.callRaw(List.of(node), ch -> stub(ch)
                        .etcdMemberList(EtcdMemberListRequest.getDefaultInstance())).getMessages(0);
            } catch (StatusRuntimeException e) {
                failures.put(node, "member list: " + ClusterSession.describe(e));
                continue;
            }
            if (!reply.getMetadata().getError().isEmpty()) {
                failures.put(node, "member list: " + reply.getMetadata().getError());
                continue;
            }
            Map<String, String> seen = new LinkedHashMap<>();
            for (EtcdMember m : reply.getMembersList()) {
                String label = m.getHostname().isEmpty() ? Long.toHexString(m.getId()) + " (not started)"
                        : m.getHostname();
                for (String url : m.getPeerUrlsList()) {
                    seen.put(host(url), label);
                }
            }
            Map<String, String> problems = new LinkedHashMap<>();
            for (String cp : controlPlanes) {
                if (!seen.containsKey(cp)) {
                    problems.put(cp, "not an etcd member (members: " + seen.values() + ", asked " + node + ")");
                }
            }
            seen.forEach((host, label) -> {
                if (!controlPlanes.contains(host)) {
                    problems.put(host, "etcd member " + label + " is not one of the control-plane nodes "
                            + controlPlanes + " (asked " + node + ")");
                }
            });
            return problems;
        }
        return failures;
    }

    private static String host(String url) {
        try {
            String h = URI.create(url).getHost();
            return h == null ? url : h.replace("[", "").replace("]", "");
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    /** Control-plane and worker addresses from the endpoint node's members resource. */
    private static Map<String, List<String>> discover(ClusterSession session) {
        Map<String, List<String>> byType = new LinkedHashMap<>();
        Iterator<ListResponse> items = session.call(List.of(), ch -> StateGrpc.newBlockingStub(ch)
                .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .list(ListRequest.newBuilder().setNamespace("cluster").setType("Members.cluster.talos.dev").build()));
        while (items.hasNext()) {
            String yaml = items.next().getResource().getSpec().getYamlSpec();
            String type = "";
            String address = "";
            for (String line : yaml.split("\n")) {
                if (line.startsWith("machineType: ")) {
                    type = line.substring("machineType: ".length()).strip();
                } else if (address.isEmpty() && line.strip().startsWith("- ")) {
                    address = line.strip().substring(2).strip();
                }
            }
            if (!address.isEmpty()) {
                byType.computeIfAbsent(type, t -> new ArrayList<>()).add(address);
            }
        }
        if (byType.isEmpty()) {
            throw new CliException("health: the endpoint node lists no members; pass --control-plane-nodes and "
                    + "--worker-nodes");
        }
        return byType;
    }
}
