package dev.basalt.machined.etcd;

import dev.basalt.machined.services.HealthCheck;
import dev.basalt.machined.services.HealthResult;
import dev.basalt.machined.services.LineSink;
import dev.basalt.machined.services.ProcessLauncher;
import dev.basalt.machined.services.ProcessRunner;
import dev.basalt.machined.services.RestartPolicy;
import dev.basalt.machined.services.Runner;
import dev.basalt.machined.services.Service;
import dev.basalt.machined.services.ServiceState;
import dev.basalt.machined.services.Supervisor;
import dev.basalt.machinery.pki.CertificateAndKey;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * etcd on one node: the {@code etcd} service definition (etcd supervised directly as a process, not in a
 * container: it is one static binary with no image to manage, and the supervisor already gives it restarts, logs
 * and health) and the membership operations around it: {@link #bootstrap} forms a new cluster once,
 * {@link #join} adds this node to an existing one (MemberAdd, then start with {@code existing} state),
 * {@link #leave} removes it and wipes its data, plus member list/remove, status and snapshot.
 *
 * <p>The service waits (condition "etcd bootstrapped or joined") until one of bootstrap, join, or an existing
 * data directory tells it how to start. Refusals change nothing and name the node and the reason.
 *
 * <p>Thread-safe: membership operations are serialized on this object.
 */
public final class EtcdNode implements AutoCloseable {
    public static final String SERVICE_ID = "etcd";
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(5);
    private static final Duration JOIN_RETRY = Duration.ofMillis(500);
    private static final Duration PROMOTE_RETRY = Duration.ofMillis(200);
    private static final Duration RECONFIG_WINDOW = Duration.ofSeconds(15);

    /** Whether this node runs etcd at all. */
    public enum Role { CONTROL_PLANE, WORKER }

    private final Supervisor supervisor;
    private final EtcdSettings settings;
    private final Role role;
    private final CertificateAndKey etcdCa;
    private final ProcessLauncher launcher;
    private final Duration callDeadline;
    private volatile InitialCluster plan;
    /**
     * Guards the certificates and the local client. Separate from this object's monitor, which membership
     * operations hold while they wait for the service thread, and the service thread needs the certificates.
     */
    private final Object clientLock = new Object();
    private CertificateAndKey identity;
    private EtcdClient localClient;

    public EtcdNode(Supervisor supervisor, EtcdSettings settings, Role role, CertificateAndKey etcdCa,
                    ProcessLauncher launcher) {
        this(supervisor, settings, role, etcdCa, launcher, CALL_DEADLINE);
    }

    public EtcdNode(Supervisor supervisor, EtcdSettings settings, Role role, CertificateAndKey etcdCa,
                    ProcessLauncher launcher, Duration callDeadline) {
        this.supervisor = supervisor;
        this.settings = settings;
        this.role = role;
        this.etcdCa = etcdCa;
        this.launcher = launcher;
        this.callDeadline = callDeadline;
        if (Files.isDirectory(settings.memberDir())) {
            // A member's data is here from an earlier run: etcd ignores the initial cluster flags then.
            this.plan = new InitialCluster(InitialCluster.State.EXISTING, Map.of(settings.name(), settings.peerUrl()));
        }
    }

    public EtcdSettings settings() {
        return settings;
    }

    /** Registers the etcd service with the supervisor and starts it (it waits until it knows how to start). */
    public void register() {
        if (role != Role.CONTROL_PLANE) {
            throw new IllegalStateException("etcd runs on control-plane nodes only; node " + settings.name()
                    + " is a worker");
        }
        supervisor.register(service());
        supervisor.start(SERVICE_ID);
    }

    /** The service definition. */
    public Service service() {
        return Service.builder(SERVICE_ID)
                .condition(dev.basalt.machined.services.Condition.of("etcd to be bootstrapped or joined",
                        () -> plan != null))
                .prepare(this::prepare)
                .runner(new PlannedRunner())
                .healthCheck(new StatusCheck())
                .restart(RestartPolicy.ALWAYS)
                .stopGrace(Duration.ofSeconds(20))
                .build();
    }

    /** Whether bootstrap or join has happened (or the data directory holds a member). */
    public boolean planned() {
        return plan != null;
    }

    /**
     * Forms a new single-member cluster on this node and waits up to {@code timeout} for it to be healthy. Refused
     * on a worker and on a node whose etcd is already bootstrapped or joined; a refusal changes nothing.
     */
    public synchronized void bootstrap(Duration timeout) throws EtcdException, InterruptedException {
        refuseUnlessFresh("bootstrap");
        plan = InitialCluster.bootstrap(settings);
        awaitHealthy("bootstrap", timeout);
    }

    /**
     * Joins the cluster that answers at {@code existingClientUrls}: adds this node with MemberAdd (or reuses a
     * member added earlier for the same peer URL that never started), then starts etcd with state
     * {@code existing}, and waits up to {@code timeout} for it to be healthy.
     */
    public synchronized void join(List<URI> existingClientUrls, Duration timeout)
            throws EtcdException, InterruptedException {
        join(existingClientUrls, timeout, false);
    }

    /**
     * {@link #join(List, Duration)}, optionally as a learner: MemberAdd with {@code isLearner}, start, and once the
     * learner is healthy, MemberPromote (retried until etcd finds it caught up with the leader). A learner does
     * not count towards quorum, so etcd adds it without waiting for earlier joiners to start, and several nodes
     * can join at once.
     */
    public synchronized void join(List<URI> existingClientUrls, Duration timeout, boolean asLearner)
            throws EtcdException, InterruptedException {
        refuseUnlessFresh("join");
        long deadline = System.nanoTime() + timeout.toNanos();
        CertificateAndKey id = identity();
        try (EtcdClient existing = new EtcdClient(existingClientUrls, id, etcdCa.certificate(), callDeadline)) {
            // etcd refuses MemberAdd ("unhealthy cluster") until every member has been connected for a few
            // seconds, e.g. right after the previous join; that passes, so retry until the deadline.
            long selfId;
            while (true) {
                try {
                    selfId = planJoin(existing, asLearner);
                    break;
                } catch (EtcdException e) {
                    if (e.reason() != EtcdException.Reason.UNAVAILABLE || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(JOIN_RETRY);
                }
            }
            awaitHealthy("join", Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (asLearner) {
                promote(existing, selfId, deadline);
            }
        }
    }

    /** Promotes this learner, retrying while etcd says it has not caught up or the cluster is reconfiguring. */
    private void promote(EtcdClient existing, long selfId, long deadline) throws EtcdException, InterruptedException {
        while (true) {
            try {
                existing.memberPromote(selfId);
                return;
            } catch (EtcdException e) {
                boolean transient_ = e.reason() == EtcdException.Reason.UNAVAILABLE
                        || e.reason() == EtcdException.Reason.FAILED_PRECONDITION;
                if (e.getMessage().contains("not a learner")) {
                    return; // promoted already (an earlier attempt whose answer was lost)
                }
                if (!transient_ || System.nanoTime() > deadline) {
                    throw new EtcdException(e.reason(), "join on node " + settings.name()
                            + ": promoting the learner failed: " + e.getMessage(), e);
                }
                Thread.sleep(PROMOTE_RETRY);
            }
        }
    }

    private long planJoin(EtcdClient existing, boolean asLearner) throws EtcdException {
        {
            List<EtcdMember> members = existing.memberList();
            EtcdMember self = null;
            for (EtcdMember m : members) {
                if (m.peerUrls().contains(settings.peerUrl())) {
                    if (m.started()) {
                        throw new EtcdException(EtcdException.Reason.FAILED_PRECONDITION, "join refused: member "
                                + m.name() + " (" + m.hexId() + ") already uses peer URL " + settings.peerUrl()
                                + "; remove it first (basaltctl etcd remove-member " + m.name() + ")");
                    }
                    self = m;
                }
            }
            if (self == null) {
                EtcdWire.MemberAdded added = existing.memberAdd(List.of(settings.peerUrl()), asLearner);
                self = added.member();
                members = added.members();
            }
            Map<String, String> initial = new LinkedHashMap<>();
            for (EtcdMember m : members) {
                if (m.id() == self.id()) {
                    initial.put(settings.name(), settings.peerUrl());
                } else if (!m.peerUrls().isEmpty()) {
                    // etcd checks that the initial cluster lists exactly the members it has, by peer URL: a
                    // learner added by another joiner that has not started yet has no name, so it goes by its id.
                    initial.put(m.started() ? m.name() : m.hexId(), m.peerUrls().getFirst());
                }
            }
            initial.putIfAbsent(settings.name(), settings.peerUrl());
            plan = new InitialCluster(InitialCluster.State.EXISTING, initial);
            return self.id();
        }
    }

    /** Removes this node from the cluster, stops etcd and wipes its data directory. */
    public synchronized void leave() throws EtcdException, InterruptedException {
        requireControlPlane("leave");
        if (plan == null) {
            throw new EtcdException(EtcdException.Reason.FAILED_PRECONDITION, "leave refused: etcd on node "
                    + settings.name() + " is not a cluster member (not bootstrapped or joined)");
        }
        EtcdClient client = client();
        long selfId = client.status().memberId();
        List<EtcdMember> members = client.memberList();
        if (members.size() == 1) {
            throw new EtcdException(EtcdException.Reason.FAILED_PRECONDITION, "leave refused: node "
                    + settings.name() + " is the only etcd member; removing it would destroy the cluster");
        }
        retryReconfiguration(() -> client.memberRemove(selfId));
        plan = null;
        supervisor.stop(SERVICE_ID);
        wipeData();
        supervisor.start(SERVICE_ID);
    }

    /** Removes another member, named by member name or hex id. */
    public synchronized EtcdMember removeMember(String nameOrId) throws EtcdException {
        requireControlPlane("remove-member");
        EtcdClient client = client();
        List<EtcdMember> members = client.memberList();
        EtcdMember target = members.stream()
                .filter(m -> m.name().equals(nameOrId) || m.hexId().equalsIgnoreCase(nameOrId))
                .findFirst()
                .orElseThrow(() -> new EtcdException(EtcdException.Reason.NOT_FOUND, "etcd member '" + nameOrId
                        + "' not found; members: " + members.stream().map(m -> m.name() + " (" + m.hexId() + ")")
                        .toList()));
        if (target.name().equals(settings.name())) {
            throw new EtcdException(EtcdException.Reason.FAILED_PRECONDITION, "remove-member refused: '" + nameOrId
                    + "' is node " + settings.name() + " itself; use 'etcd leave' on it instead");
        }
        retryReconfiguration(() -> client.memberRemove(target.id()));
        return target;
    }

    public List<EtcdMember> members() throws EtcdException {
        requireControlPlane("members");
        return client().memberList();
    }

    public EtcdStatus status() throws EtcdException {
        requireControlPlane("status");
        return client().status();
    }

    /** Streams a snapshot of this member's database into {@code out}; returns its size. */
    public long snapshot(OutputStream out) throws EtcdException, IOException {
        requireControlPlane("snapshot");
        return client().snapshot(out, 24);
    }

    @Override
    public void close() {
        synchronized (clientLock) {
            if (localClient != null) {
                localClient.close();
                localClient = null;
            }
        }
    }

    private interface Reconfiguration {
        void run() throws EtcdException;
    }

    /**
     * Runs a membership change, retrying while etcd answers "unhealthy cluster": its strict reconfiguration check
     * refuses changes until every member has been connected for a few seconds (for example just after a join).
     * Bounded by {@link #RECONFIG_WINDOW}.
     */
    private static void retryReconfiguration(Reconfiguration change) throws EtcdException {
        long deadline = System.nanoTime() + RECONFIG_WINDOW.toNanos();
        while (true) {
            try {
                change.run();
                return;
            } catch (EtcdException e) {
                if (e.reason() != EtcdException.Reason.UNAVAILABLE || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(JOIN_RETRY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EtcdException(EtcdException.Reason.UNAVAILABLE, "interrupted while retrying a membership change");
            }
        }
    }

    private void refuseUnlessFresh(String verb) throws EtcdException {
        requireControlPlane(verb);
        if (Files.isDirectory(settings.memberDir())) {
            throw new EtcdException(EtcdException.Reason.FAILED_PRECONDITION, verb + " refused: etcd on node "
                    + settings.name() + " is already bootstrapped (member data in " + settings.memberDir() + ")");
        }
        if (plan != null) {
            throw new EtcdException(EtcdException.Reason.FAILED_PRECONDITION, verb + " refused: etcd on node "
                    + settings.name() + " is already " + (plan.state() == InitialCluster.State.NEW
                    ? "bootstrapped" : "joining or joined to a cluster"));
        }
    }

    private void requireControlPlane(String verb) throws EtcdException {
        if (role != Role.CONTROL_PLANE) {
            throw new EtcdException(EtcdException.Reason.FAILED_PRECONDITION, verb + " refused: node "
                    + settings.name() + " is a worker; etcd runs on control-plane nodes only");
        }
    }

    private void awaitHealthy(String verb, Duration timeout) throws EtcdException, InterruptedException {
        boolean up = supervisor.await(SERVICE_ID, s -> s.state() == ServiceState.RUNNING && !s.health().unknown()
                && s.health().healthy(), timeout);
        if (!up) {
            String state = supervisor.status(SERVICE_ID).map(s -> s.state().display() + ": " + s.message()
                    + (s.health().unknown() ? "" : "; health: " + s.health().lastMessage())).orElse("not registered");
            throw new EtcdException(EtcdException.Reason.UNAVAILABLE, verb + " on node " + settings.name()
                    + ": etcd not healthy within " + timeout.toSeconds() + " s (" + state + ")");
        }
    }

    private CertificateAndKey identity() throws EtcdException {
        synchronized (clientLock) {
            return identityLocked();
        }
    }

    private CertificateAndKey identityLocked() throws EtcdException {
        if (identity == null) {
            try {
                identity = EtcdPki.issue(etcdCa, settings.name(), List.of(settings.address()), settings.pkiDir());
            } catch (IOException e) {
                throw new EtcdException(EtcdException.Reason.FAILED, "cannot write etcd certificates to "
                        + settings.pkiDir() + ": " + e.getMessage(), e);
            }
        }
        return identity;
    }

    private EtcdClient client() throws EtcdException {
        synchronized (clientLock) {
            if (localClient == null) {
                localClient = new EtcdClient(List.of(settings.localClientUrl()), identityLocked(),
                        etcdCa.certificate(), callDeadline);
            }
            return localClient;
        }
    }

    private void prepare() throws Exception {
        identity();
        Files.createDirectories(settings.dataDir());
        Files.setPosixFilePermissions(settings.dataDir(), PosixFilePermissions.fromString("rwx------"));
    }

    private void wipeData() {
        if (!Files.exists(settings.dataDir())) {
            return;
        }
        try (Stream<Path> walk = Files.walk(settings.dataDir())) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(settings.dataDir())) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe etcd data directory " + settings.dataDir(), e);
        }
    }

    /** Builds etcd's command line from the plan at each start. */
    private final class PlannedRunner implements Runner {
        @Override
        public Run start(LineSink output) throws Exception {
            InitialCluster current = plan;
            if (current == null) {
                throw new IllegalStateException("etcd on node " + settings.name() + " has no initial cluster");
            }
            return ProcessRunner.builder(settings.command(current)).launcher(launcher).build().start(output);
        }

        @Override
        public String description() {
            return settings.binary().toString();
        }
    }

    /** Healthy when the local member answers Status with a known leader and no alarms. */
    private final class StatusCheck implements HealthCheck {
        @Override
        public HealthResult probe(Duration timeout) {
            try {
                EtcdStatus s = client().status();
                if (s.healthy()) {
                    return HealthResult.healthy("member " + Long.toHexString(s.memberId()) + " version "
                            + s.version() + ", leader " + Long.toHexString(s.leader()));
                }
                return HealthResult.unhealthy(s.leader() == 0 ? "no leader" : "alarms: " + s.errors());
            } catch (EtcdException e) {
                return HealthResult.unhealthy(e.getMessage());
            }
        }

        @Override
        public Duration period() {
            return Duration.ofSeconds(2);
        }
    }
}
