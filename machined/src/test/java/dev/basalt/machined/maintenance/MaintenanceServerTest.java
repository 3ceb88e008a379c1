package dev.basalt.machined.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import dev.basalt.blockd.disks.Disk;
import dev.basalt.blockd.disks.Transport;
import dev.basalt.machined.api.HostResources;
import dev.basalt.machined.api.KmsgKernelLog;
import dev.basalt.machined.api.LinuxHostFacts;
import dev.basalt.machined.api.MachineApi;
import dev.basalt.machined.api.ProcessPower;
import dev.basalt.machined.api.SelfServices;
import dev.basalt.machined.api.StateApi;
import dev.basalt.machined.api.StorageApi;
import dev.basalt.machined.services.LogBuffer;
import dev.basalt.machinery.api.BuildInfo;
import dev.basalt.machinery.api.machine.ApplyConfigurationRequest;
import dev.basalt.machinery.api.machine.ApplyConfigurationResponse;
import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import dev.basalt.machinery.api.machine.RebootRequest;
import dev.basalt.machinery.api.storage.StorageServiceGrpc;
import dev.basalt.machinery.client.MaintenanceTrust;
import dev.basalt.machinery.client.NodeClient;
import dev.basalt.machinery.config.ConfigYaml;
import dev.basalt.machinery.generate.ConfigGenerator;
import dev.basalt.machinery.generate.GenerateOptions;
import dev.basalt.machinery.secrets.SecretsBundle;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintenanceServerTest {
    private static final long GIB = 1L << 30;
    @TempDir
    Path dir;
    private MaintenanceServer server;
    private Path stored;

    @BeforeEach
    void start() throws Exception {
        stored = dir.resolve("state/config.yaml");
        List<Disk> disks = List.of(
                new Disk("vda", Path.of("/dev/vda"), "253:0", 10 * GIB, 512, "", "", "", Transport.VIRTIO, false,
                        false, false, false),
                new Disk("vdb", Path.of("/dev/vdb"), "253:16", 64L << 20, 512, "", "", "", Transport.VIRTIO, false,
                        false, false, false));
        var facts = LinuxHostFacts.system(Optional.of("maintenance-test"));
        var services = new SelfServices(new LogBuffer(16, 1 << 20), Instant.now());
        MachineApi machine = new MachineApi(facts, KmsgKernelLog.system(), services,
                new ProcessPower(() -> { }, Duration.ofMillis(100)), new MaintenanceConfigs(() -> disks, stored),
                BuildInfo.current(), "metal");
        server = MaintenanceServer.start(0, machine, new StorageApi(facts),
                new StateApi(new HostResources(facts, services), Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private NodeClient client(Optional<String> fingerprint) {
        return NodeClient.insecure(List.of("127.0.0.1:" + server.port()), MaintenanceTrust.of(fingerprint));
    }

    private static String config(String installDisk) {
        var options = GenerateOptions.builder("metal", URI.create("https://10.0.2.15:6443"), SecretsBundle.generate())
                .installDisk(installDisk).build();
        return ConfigYaml.encode(new ConfigGenerator().generate(options).controlPlane());
    }

    private static ApplyConfigurationResponse apply(NodeClient client, String config, boolean dryRun) {
        return client.call(List.of(), ch -> MachineServiceGrpc.newBlockingStub(ch)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .applyConfiguration(ApplyConfigurationRequest.newBuilder()
                        .setData(ByteString.copyFrom(config, StandardCharsets.UTF_8)).setDryRun(dryRun).build()));
    }

    @Test
    void answersVersionAndDisksWithoutClientCertificate() {
        try (NodeClient client = client(Optional.empty())) {
            var version = client.call(List.of(), ch -> MachineServiceGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(30, TimeUnit.SECONDS).version(Empty.getDefaultInstance()));
            assertThat(version.getMessages(0).getPlatform().getName()).isEqualTo("metal");
            var disks = client.call(List.of(), ch -> StorageServiceGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(30, TimeUnit.SECONDS).disks(Empty.getDefaultInstance()));
            assertThat(disks.getMessagesCount()).isEqualTo(1);
        }
    }

    @Test
    void pinnedFingerprintIsAcceptedAndAWrongOneRefused() {
        try (NodeClient client = client(Optional.of(server.fingerprint().toUpperCase()))) {
            client.call(List.of(), ch -> MachineServiceGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(30, TimeUnit.SECONDS).version(Empty.getDefaultInstance()));
        }
        String wrong = "00".repeat(32);
        try (NodeClient client = client(Optional.of(wrong))) {
            assertThatThrownBy(() -> client.call(List.of(), ch -> MachineServiceGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(30, TimeUnit.SECONDS).version(Empty.getDefaultInstance())))
                    .isInstanceOf(StatusRuntimeException.class)
                    .hasStackTraceContaining("does not match --cert-fingerprint " + wrong);
        }
    }

    @Test
    void refusesMethodsOutsideTheMaintenanceTable() {
        try (NodeClient client = client(Optional.empty())) {
            assertThatThrownBy(() -> client.call(List.of(), ch -> MachineServiceGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(30, TimeUnit.SECONDS).reboot(RebootRequest.getDefaultInstance())))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                            .isEqualTo(Status.Code.PERMISSION_DENIED))
                    .hasMessageContaining("machine.MachineService/Reboot is not available in maintenance mode");
        }
    }

    @Test
    void storesAValidConfigWhoseInstallDiskFits() throws Exception {
        String config = config("/dev/vda");
        try (NodeClient client = client(Optional.empty())) {
            var dry = apply(client, config, true);
            assertThat(dry.getMessages(0).getModeDetails()).contains("dry run").contains("/dev/vda");
            assertThat(stored).doesNotExist();
            var applied = apply(client, config, false);
            assertThat(applied.getMessages(0).getModeDetails()).contains("stored");
        }
        assertThat(Files.readString(stored)).isEqualTo(config);
    }

    @Test
    void rejectsMissingOrSmallDiskAndInvalidConfigWritingNothing() {
        try (NodeClient client = client(Optional.empty())) {
            assertThatThrownBy(() -> apply(client, config("/dev/sdz"), false))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                            .isEqualTo(Status.Code.FAILED_PRECONDITION))
                    .hasMessageContaining("machine.install.disk /dev/sdz does not exist");
            assertThatThrownBy(() -> apply(client, config("/dev/vdb"), false))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                            .isEqualTo(Status.Code.FAILED_PRECONDITION))
                    .hasMessageContaining("/dev/vdb is too small: 64 MiB");
            assertThatThrownBy(() -> apply(client, "version: v1alpha1\nmachine: {type: nonsense}\n", false))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                            .isEqualTo(Status.Code.INVALID_ARGUMENT))
                    .hasMessageContaining("invalid machine config");
        }
        assertThat(stored).doesNotExist();
        assertThat(stored.getParent()).doesNotExist();
    }
}
