package dev.basalt.machined.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.machined.api.ClusterMembers.Member;
import dev.basalt.machinery.api.discovery.Affiliate;
import dev.basalt.machinery.api.discovery.GoodbyeRequest;
import dev.basalt.machinery.api.discovery.GoodbyeResponse;
import dev.basalt.machinery.api.discovery.HelloRequest;
import dev.basalt.machinery.api.discovery.HelloResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryServiceTest {
    private final MemberRegistry registry = new MemberRegistry(
            new Member("cp1", "cp1", "controlplane", List.of("10.5.0.2"), "Basalt"), Optional::empty,
            Clock.systemUTC());
    private final RegistryServer.Service service = new RegistryServer.Service(registry);

    static final class Capture<T> implements StreamObserver<T> {
        final List<T> values = new ArrayList<>();
        Throwable error;

        @Override
        public void onNext(T value) {
            values.add(value);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onCompleted() {
        }
    }

    private static Affiliate worker(String id) {
        return Affiliate.newBuilder().setNodeId(id).setHostname(id).setMachineType("worker").addAddresses("10.5.0.9")
                .setOperatingSystem("Basalt").build();
    }

    @Test
    void helloRegistersTheWorkerAndAnswersTheMemberList() {
        Capture<HelloResponse> reply = new Capture<>();
        service.hello(HelloRequest.newBuilder().setAffiliate(worker("w1")).build(), reply);
        assertThat(reply.error).isNull();
        assertThat(reply.values.getFirst().getMembersList()).extracting(Affiliate::getNodeId)
                .containsExactly("cp1", "w1");
        assertThat(reply.values.getFirst().getTtlSeconds()).isEqualTo(15);
    }

    @Test
    void goodbyeRemovesItAtOnce() {
        service.hello(HelloRequest.newBuilder().setAffiliate(worker("w1")).build(), new Capture<>());
        service.goodbye(GoodbyeRequest.newBuilder().setNodeId("w1").build(), new Capture<GoodbyeResponse>());
        assertThat(registry.members()).extracting(Member::nodeId).containsExactly("cp1");
    }

    @Test
    void refusesAnAffiliateWithoutIdentityOrWithAnUnknownType() {
        Capture<HelloResponse> empty = new Capture<>();
        service.hello(HelloRequest.newBuilder().setAffiliate(Affiliate.newBuilder().setMachineType("worker")).build(),
                empty);
        assertThat(Status.fromThrowable(empty.error).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(empty.error).hasMessageContaining("node_id and hostname must be set");

        Capture<HelloResponse> odd = new Capture<>();
        service.hello(HelloRequest.newBuilder().setAffiliate(worker("w2").toBuilder().setMachineType("gpu")).build(),
                odd);
        assertThat(odd.error).hasMessageContaining("machine_type 'gpu' is not worker or controlplane");
        assertThat(registry.members()).extracting(Member::nodeId).containsExactly("cp1");
    }
}
