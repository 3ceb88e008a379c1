package dev.basalt.machined.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.machined.api.ClusterOps;
import dev.basalt.machined.api.NodeApiException;
import dev.basalt.machined.etcd.EtcdNode;
import dev.basalt.machined.etcd.EtcdSettings;
import dev.basalt.machined.services.ProcessLauncher;
import dev.basalt.machined.services.Supervisor;
import dev.basalt.machinery.pki.CertificateAuthority;
import dev.basalt.machinery.pki.KeyType;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeClusterOpsTest {
    @TempDir
    Path dir;

    private final AtomicInteger changes = new AtomicInteger();

    @Test
    void aWorkerRefusesEveryEtcdOperationNamingItself() {
        ClusterOps worker = new NodeClusterOps("w1", Optional.empty(), changes::incrementAndGet);
        List<ThrowingCall> calls = List.of(worker::bootstrap, () -> worker.etcdMembers(false),
                () -> worker.etcdRemoveMember("cp2"), () -> worker.etcdRemoveMemberById(7), worker::etcdLeave,
                () -> worker.etcdSnapshot(new ByteArrayOutputStream()), worker::etcdStatus);
        for (ThrowingCall call : calls) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(NodeApiException.class, e -> {
                assertThat(e.code()).isEqualTo(NodeApiException.Code.FAILED_PRECONDITION);
                assertThat(e).hasMessageContaining("node w1 is a worker; etcd runs on control-plane nodes only");
            });
        }
        assertThat(changes).hasValue(0);
    }

    @Test
    void aControlPlaneBeforeBootstrapSaysSoInsteadOfTimingOut() {
        EtcdNode etcd = new EtcdNode(Supervisor.system(), new EtcdSettings("cp1", InetAddress.getLoopbackAddress(),
                23790, 23800, Path.of("/usr/bin/etcd"), dir.resolve("data"), dir.resolve("pki"), Map.of()),
                EtcdNode.Role.CONTROL_PLANE, CertificateAuthority.create("etcd", List.of("etcd"), KeyType.ECDSA_P256,
                Duration.ofDays(1)), ProcessLauncher.DIRECT);
        ClusterOps cp = new NodeClusterOps("cp1", Optional.of(etcd), changes::incrementAndGet);
        assertThatThrownBy(() -> cp.etcdMembers(false)).isInstanceOfSatisfying(NodeApiException.class, e -> {
            assertThat(e.code()).isEqualTo(NodeApiException.Code.FAILED_PRECONDITION);
            assertThat(e).hasMessageContaining("etcd on node cp1 is not running yet");
        });
        assertThatThrownBy(() -> cp.etcdRemoveMember("cp2")).isInstanceOf(NodeApiException.class)
                .hasMessageContaining("the cluster is not bootstrapped");
    }

    @Test
    void applyingAConfigToAContainerNodeIsRefusedWithTheReason() {
        ClusterOps node = new NodeClusterOps("cp1", Optional.empty(), changes::incrementAndGet);
        assertThatThrownBy(() -> node.apply(new byte[0], ClusterOps.ApplyMode.AUTO, false))
                .isInstanceOfSatisfying(NodeApiException.class,
                        e -> assertThat(e.code()).isEqualTo(NodeApiException.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> node.apply("version: v1alpha1".getBytes(), ClusterOps.ApplyMode.AUTO, false))
                .hasMessageContaining("container platform, whose config is the container's USERDATA");
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }
}
