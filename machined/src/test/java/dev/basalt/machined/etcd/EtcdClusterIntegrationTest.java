package dev.basalt.machined.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.machined.services.LogBuffer;
import dev.basalt.machined.services.ProcessLauncher;
import dev.basalt.machined.services.Sleeper;
import dev.basalt.machined.services.Supervisor;
import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.CertificateAuthority;
import dev.basalt.machinery.pki.KeyType;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real etcd (Debian's etcd-server) on loopback with TLS from a fresh etcd CA: bootstrap one node, join two more,
 * check the member list against etcdctl, remove one, let one leave, take a snapshot, and refuse a second bootstrap.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class EtcdClusterIntegrationTest {
    private static final Duration UP = Duration.ofSeconds(60);
    private static final CertificateAndKey CA = CertificateAuthority.create("etcd", List.of("etcd"),
            KeyType.ECDSA_P256, Duration.ofDays(1));

    @TempDir
    Path dir;

    private final List<Supervisor> supervisors = new ArrayList<>();
    private final List<EtcdNode> nodes = new ArrayList<>();

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (EtcdNode n : nodes) {
            n.close();
        }
        for (Supervisor s : supervisors) {
            s.close();
        }
    }

    private EtcdNode node(String name) throws Exception {
        Supervisor supervisor = new Supervisor(Clock.systemUTC(), Sleeper.SYSTEM, Duration.ofMillis(50),
                id -> LogBuffer.standard());
        supervisors.add(supervisor);
        EtcdSettings settings = new EtcdSettings(name, InetAddress.getLoopbackAddress(), freePort(), freePort(),
                Path.of("/usr/bin/etcd"), dir.resolve(name + "/data"), dir.resolve(name + "/pki"),
                Map.of("heartbeat-interval", "50", "election-timeout", "500"));
        EtcdNode node = new EtcdNode(supervisor, settings, EtcdNode.Role.CONTROL_PLANE, CA, ProcessLauncher.DIRECT);
        node.register();
        nodes.add(node);
        return node;
    }

    @Test
    void bootstrapJoinListRemoveLeaveAndSnapshot() throws Exception {
        EtcdNode cp1 = node("cp1");
        EtcdNode cp2 = node("cp2");
        EtcdNode cp3 = node("cp3");

        cp1.bootstrap(UP);
        assertThat(cp1.members()).extracting(EtcdMember::name).containsExactly("cp1");

        assertThatThrownBy(() -> cp1.bootstrap(UP)).isInstanceOf(EtcdException.class)
                .hasMessageStartingWith("bootstrap refused: etcd on node cp1 is already bootstrapped");
        assertThat(cp1.members()).hasSize(1);

        URI seed = cp1.settings().localClientUrl();
        cp2.join(List.of(seed), UP);
        cp3.join(List.of(seed, cp2.settings().localClientUrl()), UP);

        List<EtcdMember> members = cp1.members();
        assertThat(members).extracting(EtcdMember::name).containsExactlyInAnyOrder("cp1", "cp2", "cp3");
        assertThat(members).allMatch(EtcdMember::started);
        String etcdctl = etcdctl(cp1, "member", "list");
        for (EtcdMember m : members) {
            assertThat(etcdctl).contains(m.hexId() + ", started, " + m.name() + ", " + m.peerUrls().getFirst());
        }

        ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
        long size = cp2.snapshot(snapshot);
        assertThat(size).isEqualTo(snapshot.size()).isGreaterThan(0);
        Path db = dir.resolve("snapshot.db");
        Files.write(db, snapshot.toByteArray());
        assertThat(run(List.of("/usr/bin/etcdctl", "snapshot", "status", db.toString(), "-w", "json")))
                .contains("\"totalKey\"");

        assertThatThrownBy(() -> cp1.removeMember("cp1"))
                .hasMessage("remove-member refused: 'cp1' is node cp1 itself; use 'etcd leave' on it instead");
        assertThatThrownBy(() -> cp1.removeMember("cp9")).hasMessageStartingWith("etcd member 'cp9' not found");
        EtcdMember removed = cp1.removeMember("cp3");
        assertThat(removed.name()).isEqualTo("cp3");
        assertThat(cp1.members()).extracting(EtcdMember::name).containsExactlyInAnyOrder("cp1", "cp2");

        cp2.leave();
        assertThat(cp1.members()).extracting(EtcdMember::name).containsExactly("cp1");
        assertThat(cp2.settings().memberDir()).doesNotExist();
        assertThat(cp2.planned()).isFalse();
        assertThat(etcdctl(cp1, "member", "list")).doesNotContain("cp2").contains("cp1");
    }

    private String etcdctl(EtcdNode node, String... args) throws Exception {
        EtcdPki.Files pki = node.settings().pki();
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/etcdctl",
                "--endpoints=" + node.settings().localClientUrl(), "--cacert=" + pki.ca(),
                "--cert=" + pki.adminCert(), "--key=" + pki.adminKey(), "--command-timeout=10s"));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static String run(List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish within 30 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(cmd + ":\n" + out).isZero();
        return out;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
