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
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refusals and command lines, without running etcd. */
class EtcdNodeTest {
    private static final CertificateAndKey CA = CertificateAuthority.create("etcd", List.of("etcd"),
            KeyType.ECDSA_P256, Duration.ofDays(1));

    @TempDir
    Path dir;

    private EtcdSettings settings(String name) throws Exception {
        return new EtcdSettings(name, InetAddress.getByName("10.5.0.2"), 2379, 2380, Path.of("/usr/bin/etcd"),
                dir.resolve("data"), dir.resolve("pki"), Map.of("election-timeout", "5000"));
    }

    private Supervisor supervisor() {
        return new Supervisor(Clock.systemUTC(), Sleeper.SYSTEM, Duration.ofMillis(20), id -> LogBuffer.standard());
    }

    @Test
    void bootstrapOnAWorkerIsRefusedAndChangesNothing() throws Exception {
        EtcdNode node = new EtcdNode(supervisor(), settings("w1"), EtcdNode.Role.WORKER, CA, ProcessLauncher.DIRECT);
        assertThatThrownBy(() -> node.bootstrap(Duration.ofSeconds(1))).isInstanceOf(EtcdException.class)
                .hasMessage("bootstrap refused: node w1 is a worker; etcd runs on control-plane nodes only")
                .extracting(e -> ((EtcdException) e).reason()).isEqualTo(EtcdException.Reason.FAILED_PRECONDITION);
        assertThat(node.planned()).isFalse();
        assertThat(dir.resolve("data")).doesNotExist();
        assertThat(dir.resolve("pki")).doesNotExist();
    }

    @Test
    void bootstrapIsRefusedWhenTheDataDirectoryHoldsAMember() throws Exception {
        Files.createDirectories(dir.resolve("data/member/snap"));
        Supervisor supervisor = supervisor();
        EtcdNode node = new EtcdNode(supervisor, settings("cp1"), EtcdNode.Role.CONTROL_PLANE, CA,
                ProcessLauncher.DIRECT);
        assertThat(node.planned()).isTrue();
        assertThatThrownBy(() -> node.bootstrap(Duration.ofSeconds(1)))
                .hasMessage("bootstrap refused: etcd on node cp1 is already bootstrapped (member data in "
                        + dir.resolve("data/member") + ")");
        assertThatThrownBy(() -> node.join(List.of(java.net.URI.create("https://10.5.0.3:2379")),
                Duration.ofSeconds(1))).hasMessageStartingWith("join refused: etcd on node cp1 is already bootstrapped");
    }

    @Test
    void commandLineCarriesTlsAndTheInitialCluster() throws Exception {
        EtcdSettings s = settings("cp2");
        InitialCluster joining = new InitialCluster(InitialCluster.State.EXISTING,
                Map.of("cp1", "https://10.5.0.2:2380"));
        List<String> cmd = s.command(joining);
        assertThat(cmd).startsWith("/usr/bin/etcd", "--name=cp2", "--data-dir=" + dir.resolve("data"));
        assertThat(cmd).contains("--listen-client-urls=https://10.5.0.2:2379,https://127.0.0.1:2379",
                "--initial-cluster=cp1=https://10.5.0.2:2380", "--initial-cluster-state=existing",
                "--client-cert-auth=true", "--peer-client-cert-auth=true",
                "--trusted-ca-file=" + dir.resolve("pki/ca.crt"), "--election-timeout=5000");
        assertThat(InitialCluster.bootstrap(s).flag()).isEqualTo("cp2=https://10.5.0.2:2380");
        assertThat(InitialCluster.bootstrap(s).state().flag()).isEqualTo("new");
    }
}
