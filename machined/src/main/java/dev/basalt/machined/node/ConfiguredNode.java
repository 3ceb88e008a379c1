package dev.basalt.machined.node;

import dev.basalt.machined.api.ApiServer;
import dev.basalt.machined.api.ClusterMembers;
import dev.basalt.machined.api.ClusterOps;
import dev.basalt.machined.api.HostFacts;
import dev.basalt.machined.api.HostResources;
import dev.basalt.machined.api.KmsgKernelLog;
import dev.basalt.machined.api.LinuxHostFacts;
import dev.basalt.machined.api.MachineApi;
import dev.basalt.machined.api.StateApi;
import dev.basalt.machined.api.StorageApi;
import dev.basalt.machined.api.UnconfiguredNode;
import dev.basalt.machined.discovery.Announcer;
import dev.basalt.machined.discovery.MemberRegistry;
import dev.basalt.machined.discovery.RegistryServer;
import dev.basalt.machined.etcd.EtcdNode;
import dev.basalt.machined.etcd.EtcdSettings;
import dev.basalt.machined.sequencer.Sequence;
import dev.basalt.machined.sequencer.SequenceOutcome;
import dev.basalt.machined.sequencer.Sequencer;
import dev.basalt.machined.sequencer.Task;
import dev.basalt.machined.services.ContainerdConfig;
import dev.basalt.machined.services.JvmCommand;
import dev.basalt.machined.services.NodeServices;
import dev.basalt.machined.services.ProcessLauncher;
import dev.basalt.machined.services.Service;
import dev.basalt.machined.services.SupervisedServiceControl;
import dev.basalt.machined.services.Supervisor;
import dev.basalt.machined.system.Kernel;
import dev.basalt.machined.system.ProcessTable;
import dev.basalt.machined.system.Reaper;
import dev.basalt.machined.system.SystemConsole;
import dev.basalt.machinery.api.BuildInfo;
import dev.basalt.machinery.config.ConfigLoader;
import dev.basalt.machinery.config.LoadResult;
import dev.basalt.machinery.config.MachineConfig;
import dev.basalt.machinery.config.Problem;
import dev.basalt.machinery.config.ValidationMode;
import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.Pem;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * The configured-node runtime, on either {@link NodePlatform}: as PID 1 of a container ({@link ContainerPlatform},
 * config from {@code USERDATA}, Docker provides hostname, address and /var), or on metal after PID 1 found the
 * config on STATE ({@code dev.basalt.machined.metal.MetalPlatform}: EPHEMERAL mounted at /var, networkd started).
 * The sequences load and validate the config, prepare the platform, read the node's addresses, serve the machine
 * API on its unix socket, issue or request the daemons' certificates and start the services:
 * <ul>
 *   <li>every node: containerd, apid (:50000);</li>
 *   <li>control planes: trustd (:50001) and etcd, which waits for Bootstrap (the endpoint node) or joins once
 *       etcd answers at the endpoint (the others);</li>
 *   <li>workers: apid's certificate from trustd at the endpoint host, with the cluster token.</li>
 * </ul>
 * A config that does not validate is printed on the console with every problem; machined then serves the API
 * as an unconfigured node and stays up. In a container, SIGTERM or SIGINT stops the services in order and ends
 * the container; on metal, PID 1's power handling does.
 *
 * <p>Thread-safe: state set during the boot sequence is published before the API can reach it.
 */
public final class ConfiguredNode {
    public static final Path API_SOCKET = Path.of("/system/run/machined/machine.sock");
    static final Path APID_DIR = Path.of("/system/secrets/apid");
    static final Path TRUSTD_DIR = Path.of("/system/secrets/trustd");
    static final Path PROC_HOSTNAME = Path.of("/proc/sys/kernel/hostname");
    static final int APID_PORT = 50000;
    static final int TRUSTD_PORT = 50001;
    private static final Duration REAP_PERIOD = Duration.ofMillis(500);
    private static final Duration ADDRESS_WAIT = Duration.ofSeconds(30);

    private final SystemConsole console;
    private final PrintStream out;
    private final ProcessLauncher launcher;
    private final NodePlatform platform;
    private final SupervisedServiceControl services = SupervisedServiceControl.system();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile ApiServer api;
    private volatile EtcdNode etcd;
    private volatile RegistryServer registryServer;
    private volatile Announcer announcer;
    private CertificateAndKey apidIdentity;

    // Set by the boot sequence's tasks, in order.
    private MachineConfig config;
    private String hostname;
    private List<InetAddress> addresses;
    private MemberRegistry registry;

    ConfiguredNode(SystemConsole console, PrintStream out, ProcessLauncher launcher, NodePlatform platform) {
        this.console = console;
        this.out = out;
        this.launcher = launcher;
        this.platform = platform;
    }

    /**
     * Runs the node for the life of the container; never returns. A signal ends it through an orderly stop.
     *
     * @param console where {@code [basalt]} lines go (the container's stdout)
     */
    public static void run(SystemConsole console, PrintStream out, Kernel kernel) {
        Reaper reaper = new Reaper(kernel, new ProcessTable(Path.of("/proc")), ProcessHandle.current().pid(), console);
        reaper.startLoop(REAP_PERIOD);
        ConfiguredNode node = new ConfiguredNode(console, out, reaper::start, new ContainerPlatform(System.getenv()));
        for (String name : List.of("TERM", "INT")) {
            // The handler runs on the JVM's signal thread; stopping blocks, so it moves to its own thread.
            Signal.handle(new Signal(name), signal -> Thread.ofPlatform().name("stop").start(() ->
                    node.stop("received SIG" + name)));
        }
        Thread.setDefaultUncaughtExceptionHandler((thread, e) ->
                console.failure("machined", "uncaught exception in thread " + thread.getName()
                        + " (machined keeps running)", e));
        try {
            node.boot();
        } catch (Throwable t) {
            // Whatever failed, PID 1 stays: the container would end with it and take the evidence along.
            console.failure("machined", "boot failed; staying up", t);
        }
        while (true) {
            try {
                node.stopped.await();
                // stop() exits the JVM; nothing runs past this point.
            } catch (InterruptedException e) {
                // PID 1 does not end because a thread was interrupted.
            }
        }
    }

    /**
     * Boots a configured node whose PID 1 stays with the caller (metal): runs the sequences and returns; the
     * services keep running. Failures are printed on the console and leave the machine API up where possible.
     *
     * @param launcher starts the service processes (PID 1's reaper)
     */
    public static ConfiguredNode boot(SystemConsole console, PrintStream out, ProcessLauncher launcher,
                                      NodePlatform platform) {
        ConfiguredNode node = new ConfiguredNode(console, out, launcher, platform);
        node.boot();
        return node;
    }

    private void boot() {
        Sequencer sequencer = new Sequencer(out, System::nanoTime);
        SequenceOutcome loaded = sequencer.run(new Sequence("initialize", List.of(
                new Task("loadConfig", this::loadConfig),
                new Task("prepare", () -> platform.prepare(config)),
                new Task("readNetwork", this::readNetwork))));
        if (loaded instanceof SequenceOutcome.Failed failed) {
            console.line("machined", "the node is not configured (" + failed.task() + " failed: "
                    + failed.cause().getMessage().lines().findFirst().orElse("") + "); serving the machine API "
                    + "on " + API_SOCKET + " as an unconfigured node and staying up");
            try {
                startApi(new UnconfiguredNode(), ClusterMembers.NONE, hostnameOrEmpty());
            } catch (IOException | RuntimeException e) {
                console.failure("machined", "cannot serve the machine API", e);
            }
            return;
        }
        SequenceOutcome booted = sequencer.run(new Sequence("boot", List.of(
                new Task("startMachineApi", this::startConfiguredApi),
                new Task("setupIdentity", this::setupIdentity),
                new Task("startServices", this::startServices),
                new Task("startDiscovery", this::startDiscovery))));
        if (booted instanceof SequenceOutcome.Failed failed) {
            console.failure("machined", "boot failed at task " + failed.task(), failed.cause());
            if (api == null) {
                try {
                    startApi(new UnconfiguredNode(), ClusterMembers.NONE, Optional.ofNullable(hostname));
                    console.line("machined", "serving the machine API on " + API_SOCKET + " as an unconfigured node "
                            + "for diagnosis");
                } catch (IOException | RuntimeException e) {
                    console.failure("machined", "cannot serve the machine API either; staying up without it", e);
                }
            } else {
                console.line("machined", "the machine API stays up for diagnosis");
            }
        } else {
            console.line("machined", "node " + hostname + " (" + config.machine().type().name().toLowerCase()
                    + ") is up; addresses " + addresses.stream().map(NodeAddresses::literal).toList());
        }
    }

    private Optional<String> hostnameOrEmpty() {
        try {
            return Optional.of(NodeAddresses.hostname(Optional.empty(), PROC_HOSTNAME));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    // ---- initialize ----

    String loadConfig() throws ConfigException {
        NodePlatform.ConfigText read = platform.config();
        String where = read.source();
        LoadResult result = ConfigLoader.load(read.text(), where, platform.validationMode(), false);
        switch (result) {
            case LoadResult.Rejected rejected -> {
                List<String> lines = new ArrayList<>();
                lines.add("[basalt] machined: the machine config in " + where + " is invalid ("
                        + rejected.errors().size() + " problem(s)):");
                for (Problem p : rejected.errors()) {
                    lines.add("[basalt] machined:   " + p);
                }
                console.block(lines);
                throw new ConfigException("machine config in " + where + " is invalid: " + rejected.errors().size()
                        + " problem(s), first: " + rejected.errors().getFirst());
            }
            case LoadResult.Loaded loaded -> {
                this.config = loaded.config();
                for (Problem w : loaded.warnings()) {
                    console.line("machined", "config warning: " + w);
                }
                return "loaded " + config.machine().type().name().toLowerCase() + " config from " + where + " ("
                        + loaded.warnings().size() + " warning(s))";
            }
        }
    }

    String readNetwork() throws IOException, InterruptedException {
        hostname = NodeAddresses.hostname(config.machine().network().hostname(), PROC_HOSTNAME);
        long deadline = System.nanoTime() + ADDRESS_WAIT.toNanos();
        List<InetAddress> found = addressesSoFar();
        while (found.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("no global address on any interface within " + ADDRESS_WAIT.toSeconds()
                        + " s; expected the platform to assign one");
            }
            Thread.sleep(250);
            found = addressesSoFar();
        }
        addresses = found;
        return "hostname " + hostname + ", addresses " + found.stream().map(NodeAddresses::literal).toList();
    }

    /** The global addresses now; none while the kernel lists no interfaces yet (networkd is still starting). */
    private static List<InetAddress> addressesSoFar() {
        try {
            return NodeAddresses.addresses();
        } catch (java.net.SocketException e) {
            return List.of();
        }
    }

    // ---- boot ----

    private boolean controlPlane() {
        return config.machine().type().isControlPlane();
    }

    String startConfiguredApi() throws IOException {
        CertificateAndKey etcdCa = null;
        if (controlPlane()) {
            var ca = config.cluster().etcd().ca();
            if (!ca.hasCertificate() || !ca.hasKey()) {
                throw new IOException("cluster.etcd.ca needs crt and key on a control-plane node");
            }
            etcdCa = CertificateAndKey.fromPem(ca.certificatePem(), ca.keyPem());
            Map<String, String> extra = new LinkedHashMap<>();
            config.cluster().etcd().extraArgs().forEach((k, v) -> extra.put(k, String.join(",", v)));
            etcd = new EtcdNode(services.supervisor(), EtcdSettings.node(hostname, addresses.getFirst(), extra),
                    EtcdNode.Role.CONTROL_PLANE, etcdCa, launcher);
        }
        String os = "Basalt (" + BuildInfo.current().tag() + ")";
        ClusterMembers.Member self = new ClusterMembers.Member(hostname, hostname,
                controlPlane() ? "controlplane" : "worker", addresses.stream().map(NodeAddresses::literal).toList(), os);
        EtcdNode node = etcd;
        registry = new MemberRegistry(self, () -> node == null || !node.planned() ? Optional.empty()
                : Optional.of(node.members()), Clock.systemUTC());
        ClusterOps ops = new NodeClusterOps(hostname, Optional.ofNullable(etcd), () -> { },
                platform.configApplier(config, hostname));
        startApi(ops, registry, Optional.of(hostname));
        return "machine API serving on " + API_SOCKET;
    }

    private void startApi(ClusterOps ops, ClusterMembers members, Optional<String> hostnameOverride)
            throws IOException {
        Files.createDirectories(API_SOCKET.getParent());
        HostFacts facts = LinuxHostFacts.system(hostnameOverride);
        MachineApi machine = new MachineApi(facts, KmsgKernelLog.system(), services,
                platform.power(() -> stop("Shutdown API call")), ops,
                BuildInfo.current(), platform.name(), platform.meta(), platform.resetControl(ops));
        api = ApiServer.start(API_SOCKET, machine, new StorageApi(facts),
                new StateApi(new HostResources(facts, services, members, platform.meta(),
                        dev.basalt.machined.api.Disks.fromSysfs(java.nio.file.Path.of("/sys"))),
                        Duration.ofSeconds(1)));
    }

    String setupIdentity() throws IOException {
        NodeIdentity.Names names = new NodeIdentity.Names(hostname, addresses, config.machine().certSANs());
        var ca = config.machine().ca();
        if (!ca.hasCertificate()) {
            throw new IOException("machine.ca.crt is empty; expected the OS CA certificate");
        }
        if (controlPlane()) {
            if (!ca.hasKey()) {
                throw new IOException("machine.ca.key is empty on a control-plane node; expected the OS CA key");
            }
            CertificateAndKey osCa = CertificateAndKey.fromPem(ca.certificatePem(), ca.keyPem());
            apidIdentity = NodeIdentity.issueApid(osCa, names, APID_DIR);
            NodeIdentity.issueTrustd(osCa, names, config.machine().token(), TRUSTD_DIR);
            return "issued apid and trustd certificates from the OS CA for " + names.hostname() + " "
                    + names.ips().stream().map(NodeAddresses::literal).toList();
        }
        String host = endpointHost();
        TrustdEnrollment enrollment = new TrustdEnrollment(host, TRUSTD_PORT,
                Pem.decodeCertificate(ca.certificatePem()), config.machine().token(), Duration.ofSeconds(5),
                Duration.ofSeconds(2));
        Thread.ofVirtual().name("trustd-enrollment").start(() -> {
            try {
                TrustdEnrollment.Issued issued = enrollment.enroll(names, msg -> console.line("machined",
                        "apid certificate: " + msg));
                TrustdEnrollment.write(issued, APID_DIR);
                console.line("machined", "apid certificate issued by trustd at " + host + ":" + TRUSTD_PORT
                        + ": subject " + issued.certificate().getSubjectX500Principal() + ", issuer "
                        + issued.certificate().getIssuerX500Principal() + ", serial "
                        + issued.certificate().getSerialNumber().toString(16));
            } catch (IOException e) {
                console.failure("machined", "apid certificate: trustd refused this node; apid stays down", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return "requesting apid's certificate from trustd at " + host + ":" + TRUSTD_PORT;
    }

    private String endpointHost() throws IOException {
        var endpoint = config.cluster().controlPlane().endpoint();
        if (endpoint == null || endpoint.getHost() == null) {
            throw new IOException("cluster.controlPlane.endpoint has no host; expected https://HOST:PORT");
        }
        String host = endpoint.getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    String startServices() throws IOException {
        Supervisor supervisor = services.supervisor();
        JvmCommand apid = jvm("dev.basalt.apid.Main");
        ContainerdConfig containerd = ContainerdConfig.node(platform.containerdInContainer());
        Service containerdService = NodeServices.containerd(containerd, NodeServices.CONTAINERD_BINARY,
                NodeServices.CTR_BINARY, launcher);
        // The image has no ctr binary to ask containerd for its version; a connect on its socket says it serves.
        supervisor.register(new Service(containerdService.id(), containerdService.dependencies(),
                containerdService.conditions(), containerdService.preparation(), containerdService.runner(),
                Optional.of(new UnixSocketHealthCheck(containerd.socket(), Duration.ofSeconds(5))),
                containerdService.restartPolicy(), containerdService.backoff(), containerdService.stopGrace()));
        List<String> started = new ArrayList<>(List.of(NodeServices.CONTAINERD));
        if (controlPlane()) {
            supervisor.register(NodeServices.trustd(jvm("dev.basalt.trustd.Main"), TRUSTD_DIR, TRUSTD_PORT, launcher));
            started.add(NodeServices.TRUSTD);
        }
        supervisor.register(NodeServices.apid(apid, API_SOCKET, APID_DIR, APID_PORT, launcher));
        started.add(NodeServices.APID);
        supervisor.startAll();
        if (etcd != null) {
            etcd.register();
            started.add(EtcdNode.SERVICE_ID);
            String host = endpointHost();
            boolean atEndpoint = addresses.stream().anyMatch(a -> NodeAddresses.literal(a).equals(host))
                    || host.equals(hostname);
            String self = NodeAddresses.literal(addresses.getFirst());
            Thread.ofVirtual().name("etcd-join").start(new EtcdJoiner(etcd, host, atEndpoint,
                    "run 'basaltctl bootstrap -n " + self + " -e " + self + "'",
                    msg -> console.line("etcd", msg)));
        }
        return "registered " + String.join(", ", started);
    }

    /**
     * Control planes serve the discovery registry (workers announce themselves there); workers announce to the
     * endpoint host and, from its answers, to every control plane.
     */
    String startDiscovery() throws IOException {
        if (controlPlane()) {
            registryServer = RegistryServer.start(new java.net.InetSocketAddress(RegistryServer.PORT), apidIdentity,
                    config.machine().token(), registry);
            return "discovery registry serving on :" + registryServer.port();
        }
        String host = endpointHost();
        announcer = new Announcer(registry, host, RegistryServer.PORT,
                Pem.decodeCertificate(config.machine().ca().certificatePem()), config.machine().token(),
                msg -> console.line("discovery", msg));
        Thread.ofVirtual().name("discovery-announcer").start(announcer);
        return "announcing this node to the discovery registry at " + host + ":" + RegistryServer.PORT;
    }

    private JvmCommand jvm(String mainClass) {
        String java = ProcessHandle.current().info().command().orElse("/usr/lib/basalt/jre/bin/java");
        List<Path> classpath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(":")) {
            if (!entry.isBlank()) {
                classpath.add(Path.of(entry));
            }
        }
        // The measured flag set for the API daemons (machinery's daemon-jvm.options). Its environment part
        // (MALLOC_ARENA_MAX) is not applied: the service definitions take no environment for JVM daemons yet.
        List<String> flags = new ArrayList<>(dev.basalt.machinery.api.transport.DaemonJvmOptions.load().flags());
        if (flags.stream().noneMatch(f -> f.startsWith("--sun-misc-unsafe-memory-access"))) {
            // protobuf 3.25 still reads arrays through sun.misc.Unsafe; allow it without the JDK's warning on stderr.
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        if (flags.stream().noneMatch(f -> f.startsWith("--enable-native-access"))) {
            flags.add("--enable-native-access=ALL-UNNAMED");
        }
        return new JvmCommand(Path.of(java), classpath, mainClass, flags);
    }

    // ---- stop ----

    /** Stops the services (dependents first), the API, and ends the container. Runs once. */
    void stop(String reason) {
        if (!stopServices(reason)) {
            return;
        }
        console.line("machined", "stopped; exiting");
        stopped.countDown();
        out.flush();
        // PID 1 of a container may exit: the container ends with it.
        Runtime.getRuntime().halt(0);
    }

    /**
     * Stops the services (dependents first), etcd, discovery and the API; on metal PID 1's shutdown calls this
     * before it unmounts and reboots. Runs once; returns whether this call did the work.
     */
    public boolean stopServices(String reason) {
        if (!stopping.compareAndSet(false, true)) {
            return false;
        }
        console.line("machined", reason + ": stopping services");
        Announcer leaving = announcer;
        if (leaving != null) {
            // First, while the network is still up: the control planes drop this node from the members at once.
            leaving.goodbye();
        }
        try {
            services.supervisor().close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            console.failure("machined", "stopping services failed", e);
        }
        EtcdNode node = etcd;
        if (node != null) {
            node.close();
        }
        RegistryServer registryNow = registryServer;
        if (registryNow != null) {
            registryNow.close();
        }
        ApiServer server = api;
        if (server != null) {
            server.close();
        }
        return true;
    }

    /** The config could not be loaded; the message says what is wrong and what was expected. */
    public static final class ConfigException extends Exception {
        public ConfigException(String message) {
            super(message);
        }
    }
}
