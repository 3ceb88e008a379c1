package dev.basalt.apid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Empty;
import dev.basalt.machinery.api.Role;
import dev.basalt.machinery.api.common.Data;
import dev.basalt.machinery.api.machine.LogsRequest;
import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import dev.basalt.machinery.api.machine.ServiceListResponse;
import dev.basalt.machinery.api.machine.Version;
import dev.basalt.machinery.api.machine.VersionResponse;
import dev.basalt.machinery.api.resource.GetRequest;
import dev.basalt.machinery.api.resource.StateGrpc;
import dev.basalt.machinery.client.NodeClient;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FanOutTest {
    private NodeStacks stacks;
    private ManagedChannel admin;

    @BeforeAll
    void start() throws Exception {
        stacks = new NodeStacks(3, Duration.ofSeconds(2));
        admin = stacks.channel(0, Optional.of(stacks.pki.client(Role.ADMIN)));
    }

    @AfterAll
    void stop() {
        if (admin != null) {
            admin.shutdownNow();
        }
        if (stacks != null) {
            stacks.close();
        }
    }

    private MachineServiceGrpc.MachineServiceBlockingStub machine(List<String> nodes) {
        return MachineServiceGrpc.newBlockingStub(NodeClient.targeting(admin, nodes))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @Test
    void answersFromLocalMachinedWithoutRoutingMetadata() {
        VersionResponse reply = machine(List.of()).version(Empty.getDefaultInstance());
        assertThat(reply.getMessagesList()).singleElement()
                .satisfies(v -> assertThat(v.getMetadata().getHostname()).isEqualTo("node1"))
                .satisfies(v -> assertThat(v.getVersion().getTag()).startsWith("v"));
    }

    @Test
    void proxiesOneNodeTransparently() {
        VersionResponse reply = machine(List.of(stacks.names.get(2))).version(Empty.getDefaultInstance());
        assertThat(reply.getMessagesList()).singleElement()
                .satisfies(v -> assertThat(v.getMetadata().getHostname()).isEqualTo("node3"));
    }

    @Test
    void fansOutToThreeNodesWithEachNodesHostname() {
        VersionResponse reply = machine(stacks.names).version(Empty.getDefaultInstance());
        assertThat(reply.getMessagesList()).extracting(v -> v.getMetadata().getHostname())
                .containsExactlyInAnyOrder("node1", "node2", "node3");
        assertThat(reply.getMessagesList()).allSatisfy(v -> assertThat(v.getMetadata().getError()).isEmpty());
    }

    @Test
    void fansOutServiceListAndStreamsLogsFromEveryNode() {
        ServiceListResponse services = machine(stacks.names).serviceList(Empty.getDefaultInstance());
        assertThat(services.getMessagesList()).hasSize(3)
                .allSatisfy(s -> assertThat(s.getServicesList()).extracting(si -> si.getId()).contains("machined"));
        Iterator<Data> logs = machine(stacks.names).logs(LogsRequest.newBuilder().setId("machined")
                .setTailLines(-1).build());
        List<String> from = new ArrayList<>();
        logs.forEachRemaining(d -> from.add(d.getMetadata().getHostname()));
        assertThat(from).contains("node1", "node2", "node3");
    }

    @Test
    void unknownServiceIsNotFoundPerNode() {
        Iterator<Data> logs = machine(List.of(stacks.names.get(1))).logs(LogsRequest.newBuilder().setId("nope")
                .build());
        assertThatThrownBy(() -> logs.forEachRemaining(d -> { }))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void cosiStateRefusesFanOutButWorksPerNode() {
        var state = StateGrpc.newBlockingStub(NodeClient.targeting(admin, stacks.names));
        assertThatThrownBy(() -> state.get(GetRequest.newBuilder().setType("HostnameStatuses.net.talos.dev")
                .setId("hostname").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        var one = StateGrpc.newBlockingStub(NodeClient.targeting(admin, List.of(stacks.names.get(1))));
        var got = one.get(GetRequest.newBuilder().setNamespace("network")
                .setType("HostnameStatuses.net.talos.dev").setId("hostname").build());
        assertThat(got.getResource().getSpec().getYamlSpec()).contains("hostname: node2");
    }

    @Test
    void unreachableNodeBecomesAnErrorEntryWithinTheDeadline() throws Exception {
        try (NodeStacks local = new NodeStacks(3, Duration.ofSeconds(2))) {
            ManagedChannel channel = local.channel(0, Optional.of(local.pki.client(Role.READER)));
            try {
                local.stop(2);
                long started = System.nanoTime();
                VersionResponse reply = MachineServiceGrpc.newBlockingStub(NodeClient.targeting(channel, local.names))
                        .withDeadlineAfter(10, TimeUnit.SECONDS).version(Empty.getDefaultInstance());
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertThat(millis).as("answered within the per-node deadline").isLessThan(5_000);
                assertThat(reply.getMessagesList()).hasSize(3);
                Version failed = reply.getMessagesList().stream()
                        .filter(v -> !v.getMetadata().getError().isEmpty()).findFirst().orElseThrow();
                assertThat(failed.getMetadata().getHostname()).isEqualTo(local.names.get(2));
                assertThat(failed.getMetadata().getError()).contains("UNAVAILABLE");
                assertThat(failed.getMetadata().getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE.value());
                assertThat(reply.getMessagesList()).filteredOn(v -> v.getMetadata().getError().isEmpty())
                        .extracting(v -> v.getMetadata().getHostname()).containsExactlyInAnyOrder("node1", "node2");
            } finally {
                channel.shutdownNow();
            }
        }
    }
}
