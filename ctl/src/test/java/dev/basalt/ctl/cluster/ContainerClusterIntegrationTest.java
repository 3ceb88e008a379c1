package dev.basalt.ctl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.ctl.CtlRunner;
import dev.basalt.machinery.config.ConfigLoader;
import dev.basalt.machinery.config.LoadResult;
import dev.basalt.machinery.config.MachineConfig;
import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.CertificateAuthority;
import dev.basalt.machinery.pki.ExtendedUsage;
import dev.basalt.machinery.pki.IssueRequest;
import dev.basalt.machinery.pki.KeyType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import javax.naming.ldap.LdapName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Basalt cluster in Docker: nodes are containers of the node image (the rootfs of bin/build-image with this
 * tree's daemon jars, made by bin/build-node-image) with machined as PID 1. One cluster boot covers the issue's
 * "Must show" list: three control planes and a worker, bootstrap, three etcd members (etcdctl agrees), the
 * worker's apid certificate issued by trustd, health; a stopped control plane named by health, removed from etcd
 * and from the members; bootstrap refused twice and on the worker; destroy leaves nothing. Every wait is bounded.
 */
@Tag("integration")
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class ContainerClusterIntegrationTest {
    private static final String IMAGE = "basalt/node:it-cluster";
    private static final String NAME = "basalt-itc";
    private static final String CP1 = "10.231.9.2";
    private static final String CP2 = "10.231.9.3";
    private static final String CP3 = "10.231.9.4";
    private static final String W1 = "10.231.9.5";
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    static Path dir;

    @BeforeAll
    static void engineAndImage() throws Exception {
        run(Duration.ofMinutes(1), List.of(ROOT.resolve("bin/lib/start-docker.sh").toString()));
        if (!Files.exists(ROOT.resolve("_out/rootfs-amd64.sqsh"))) {
            run(Duration.ofMinutes(30), List.of(ROOT.resolve("bin/build-image").toString()));
        }
        // Always rebuilt (about 10 s): it must carry the daemon jars of this build, not an earlier one's.
        run(Duration.ofMinutes(3), List.of("env", "BASALT_TARGET=" + buildDirectoryName(),
                ROOT.resolve("bin/build-node-image").toString(), ROOT.resolve("_out/rootfs-amd64.sqsh").toString(),
                IMAGE));
        new CtlRunner(dir).run("cluster", "destroy", "--name", NAME);
    }

    @AfterAll
    static void destroy() {
        new CtlRunner(dir).run("cluster", "destroy", "--name", NAME);
    }

    /** ctl/BUILD/test-classes: the build directory name this run uses (target, or -Dbasalt.target). */
    private static String buildDirectoryName() throws URISyntaxException {
        Path classes = Path.of(ContainerClusterIntegrationTest.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        return classes.getParent().getFileName().toString();
    }

    @Test
    void formsAClusterSurvivesLosingAControlPlaneAndLeavesNothing() throws Exception {
        CtlRunner ctl = new CtlRunner(dir);
        int volumesBefore = volumes();

        // 1. create 3 + 1, bootstrap CP1, three etcd members, etcdctl agrees, worker certified by trustd, health.
        CtlRunner.Result created = ctl.run("cluster", "create", "--provisioner", "docker", "--name", NAME,
                "--controlplanes", "3", "--workers", "1", "--cidr", "10.231.9.0/24", "--image", IMAGE);
        assertThat(created.status()).as(created.err()).isZero();
        assertThat(created.out()).contains("endpoints: " + CP1 + ":50000, " + CP2 + ":50000, " + CP3 + ":50000");
        assertThat(created.err()).contains("merged context");

        CtlRunner.Result bootstrapped = retry(Duration.ofMinutes(3), () -> ctl.run("-n", CP1, "-e", CP1, "bootstrap"),
                r -> r.status() == 0 || !r.err().contains("UNAVAILABLE"));
        assertThat(bootstrapped.status()).as(bootstrapped.err()).isZero();

        CtlRunner.Result members = retry(Duration.ofMinutes(3), () -> ctl.run("-n", CP1, "-e", CP1, "etcd", "members"),
                // Joiners start as learners and are promoted once caught up: wait for three named voting members.
                r -> r.status() == 0 && r.out().lines().filter(l -> l.contains("https://")).count() == 3
                        && r.out().contains(NAME + "-controlplane-2") && r.out().contains(NAME + "-controlplane-3")
                        && r.out().lines().filter(l -> l.contains("https://")).noneMatch(l -> l.strip().endsWith("true")));
        assertThat(members.out()).contains(NAME + "-controlplane-1", NAME + "-controlplane-2",
                NAME + "-controlplane-3");
        assertThat(etcdctlMemberNames()).containsExactlyInAnyOrder(NAME + "-controlplane-1",
                NAME + "-controlplane-2", NAME + "-controlplane-3");

        // The worker's apid starts once trustd has signed its certificate: wait for it to serve.
        List<X509Certificate> workerChain = awaitServerChain(W1, 50000, Duration.ofMinutes(2));
        X509Certificate workerCert = workerChain.getFirst();
        X509Certificate cpCert = serverChain(CP1, 50000).getFirst();
        assertThat(workerCert.getSubjectX500Principal().getName()).isEqualTo("CN=" + NAME + "-worker-1");
        assertThat(organizations(workerCert)).as("trustd drops any O").isEmpty();
        assertThat(workerCert.getExtendedKeyUsage()).as("trustd signs serverAuth only")
                .containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(workerCert.getIssuerX500Principal()).isEqualTo(cpCert.getIssuerX500Principal());
        assertThat(organizations(cpCert)).as("control planes issue apid's own certificate").contains("os:impersonator");
        assertThat(dockerLogs(NAME + "-worker-1")).contains("apid certificate issued by trustd at " + CP1 + ":50001");

        // Discovery: control planes from etcd, the worker from its announcements to the registry.
        CtlRunner.Result everyone = retry(Duration.ofMinutes(1), () -> ctl.run("-n", CP1, "-e", CP1, "get", "members"),
                r -> r.status() == 0 && r.out().contains(NAME + "-worker-1"));
        assertThat(everyone.out()).contains(NAME + "-controlplane-1", NAME + "-controlplane-2",
                NAME + "-controlplane-3", NAME + "-worker-1");

        CtlRunner.Result healthy = ctl.run("health", "--wait-timeout", "3m");
        assertThat(healthy.status()).as(healthy.out() + healthy.err()).isZero();
        assertThat(healthy.out()).contains("waiting for etcd to be healthy: OK", "waiting for apid to be ready: OK",
                "discovered nodes: control plane [" + CP1 + ", " + CP2 + ", " + CP3 + "], worker [" + W1 + "]");

        // 2. stop CP3: health names it within 30 s and returns; remove-member; the rest is healthy; members drop it.
        new DockerProvisioner(new DockerEngine(DockerEngine.DEFAULT_SOCKET)).stopNode(NAME, NAME + "-controlplane-3", 10);
        long start = System.nanoTime();
        CtlRunner.Result degraded = ctl.run("health", "--wait-timeout", "25s", "--control-plane-nodes",
                CP1 + "," + CP2 + "," + CP3, "--worker-nodes", W1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(degraded.status()).isNotZero();
        assertThat(degraded.err()).contains("etcd to be healthy", "node " + CP3);

        CtlRunner.Result removed = ctl.run("-n", CP1, "-e", CP1, "etcd", "remove-member", NAME + "-controlplane-3");
        assertThat(removed.status()).as(removed.err()).isZero();
        CtlRunner.Result two = ctl.run("-n", CP1, "-e", CP1, "etcd", "members");
        assertThat(two.out().lines().filter(l -> l.contains("https://")).count()).isEqualTo(2);
        CtlRunner.Result healthyAgain = ctl.run("health", "--wait-timeout", "2m", "--control-plane-nodes",
                CP1 + "," + CP2, "--worker-nodes", W1);
        assertThat(healthyAgain.status()).as(healthyAgain.out() + healthyAgain.err()).isZero();
        CtlRunner.Result listed = ctl.run("-n", CP1, "-e", CP1, "get", "members");
        assertThat(listed.status()).as(listed.err()).isZero();
        assertThat(listed.out()).contains(NAME + "-controlplane-1", NAME + "-controlplane-2", NAME + "-worker-1")
                .doesNotContain(NAME + "-controlplane-3");

        // 3. bootstrap again, and on the worker: a clear refusal, and nothing changes.
        CtlRunner.Result again = ctl.run("-n", CP1, "-e", CP1, "bootstrap");
        assertThat(again.status()).isNotZero();
        assertThat(again.err()).contains("FAILED_PRECONDITION", "already bootstrapped");
        CtlRunner.Result onWorker = ctl.run("-n", W1, "-e", CP1, "bootstrap");
        assertThat(onWorker.status()).isNotZero();
        assertThat(onWorker.err()).contains("FAILED_PRECONDITION", NAME + "-worker-1 is a worker");
        assertThat(ctl.run("-n", CP1, "-e", CP1, "etcd", "members").out().lines()
                .filter(l -> l.contains("https://")).count()).isEqualTo(2);

        // 4. destroy leaves no containers, networks or volumes.
        CtlRunner.Result destroyed = ctl.run("cluster", "destroy", "--name", NAME);
        assertThat(destroyed.status()).as(destroyed.err()).isZero();
        DockerEngine engine = new DockerEngine(DockerEngine.DEFAULT_SOCKET);
        assertThat(engine.containers(DockerProvisioner.LABEL_CLUSTER + "=" + NAME)).isEmpty();
        assertThat(engine.networks(DockerProvisioner.LABEL_CLUSTER + "=" + NAME)).isEmpty();
        assertThat(volumes()).isEqualTo(volumesBefore);
    }

    // ---- helpers ----

    private interface Attempt {
        CtlRunner.Result run();
    }

    private static CtlRunner.Result retry(Duration limit, Attempt attempt,
                                          java.util.function.Predicate<CtlRunner.Result> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        CtlRunner.Result r = attempt.run();
        while (!done.test(r) && System.nanoTime() < deadline) {
            Thread.sleep(2000);
            r = attempt.run();
        }
        return r;
    }

    /** etcdctl on the host, with a client certificate issued from the cluster's etcd CA. */
    private static List<String> etcdctlMemberNames() throws Exception {
        String yaml = Files.readString(dir.resolve("home/.basalt/clusters/" + NAME + "/controlplane.yaml"));
        MachineConfig config = ((LoadResult.Loaded) ConfigLoader.load(yaml, "controlplane.yaml")).config();
        var etcdCa = config.cluster().etcd().ca();
        CertificateAndKey ca = CertificateAndKey.fromPem(etcdCa.certificatePem(), etcdCa.keyPem());
        CertificateAndKey client = new CertificateAuthority(ca).issue(IssueRequest.builder().commonName("etcdctl")
                .usage(ExtendedUsage.CLIENT_AUTH).generateKey(KeyType.ECDSA_P256).validity(Duration.ofHours(1))
                .build());
        Files.writeString(dir.resolve("etcd-ca.crt"), ca.certPem());
        Files.writeString(dir.resolve("etcdctl.crt"), client.certPem());
        Files.writeString(dir.resolve("etcdctl.key"), client.keyPem());
        String out = run(Duration.ofSeconds(30), List.of("etcdctl", "--endpoints", "https://" + CP1 + ":2379",
                "--cacert", dir.resolve("etcd-ca.crt").toString(), "--cert", dir.resolve("etcdctl.crt").toString(),
                "--key", dir.resolve("etcdctl.key").toString(), "--command-timeout=10s", "member", "list"));
        List<String> names = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            names.add(line.split(",\\s*")[2]);
        }
        return names;
    }

    private static List<X509Certificate> awaitServerChain(String host, int port, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                return serverChain(host, port);
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(e.getMessage() + "; worker log:\n" + dockerLogs(NAME + "-worker-1"), e);
                }
                Thread.sleep(1000);
            }
        }
    }

    /** The certificate chain a TLS server presents (the handshake may then fail: apid wants a client certificate). */
    private static List<X509Certificate> serverChain(String host, int port) throws Exception {
        AtomicReference<X509Certificate[]> seen = new AtomicReference<>();
        X509TrustManager recorder = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen.set(chain);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext tls = SSLContext.getInstance("TLSv1.3");
        tls.init(null, new TrustManager[] {recorder}, new SecureRandom());
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(5000);
            socket.startHandshake();
        } catch (IOException e) {
            // expected once the server asks for the client certificate we do not have
        }
        assertThat(seen.get()).as("server certificate of " + host + ":" + port).isNotNull();
        return List.of(seen.get());
    }

    private static List<String> organizations(X509Certificate cert) throws Exception {
        return new LdapName(cert.getSubjectX500Principal().getName()).getRdns().stream()
                .filter(r -> r.getType().equalsIgnoreCase("O")).map(r -> r.getValue().toString()).toList();
    }

    private static String dockerLogs(String container) throws Exception {
        return run(Duration.ofSeconds(30), List.of("docker", "logs", container));
    }

    private static int volumes() throws Exception {
        String out = run(Duration.ofSeconds(30), List.of("docker", "volume", "ls", "-q")).strip();
        return out.isEmpty() ? 0 : out.split("\n").length;
    }

    private static String run(Duration limit, List<String> command) throws Exception {
        Path log = Files.createTempFile(dir, "cmd", ".log");
        Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + limit.toSeconds() + " s");
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(command + " exited " + p.exitValue() + ":\n" + out);
        }
        return out;
    }
}
