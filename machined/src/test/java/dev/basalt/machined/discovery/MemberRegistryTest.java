package dev.basalt.machined.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.machined.api.ClusterMembers.Member;
import dev.basalt.machined.etcd.EtcdException;
import dev.basalt.machined.etcd.EtcdMember;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MemberRegistryTest {
    private static final String OS = "Basalt (v0)";
    private final Member self = new Member("cp1", "cp1", "controlplane", List.of("10.5.0.2"), OS);
    private final AtomicReference<Optional<List<EtcdMember>>> etcd = new AtomicReference<>(Optional.empty());
    private final MutableClock clock = new MutableClock();
    private final MemberRegistry registry = new MemberRegistry(self, etcd::get, clock);

    private static EtcdMember etcdMember(long id, String name, String ip) {
        return new EtcdMember(id, name, List.of("https://" + ip + ":2380"), List.of("https://" + ip + ":2379"), false);
    }

    private static List<String> ids(List<Member> members) {
        return members.stream().map(Member::nodeId).toList();
    }

    @Test
    void listsItselfBeforeEtcdRuns() {
        assertThat(registry.members()).containsExactly(self);
    }

    @Test
    void controlPlanesComeFromEtcdWithTheirPeerAddress() {
        etcd.set(Optional.of(List.of(etcdMember(1, "cp1", "10.5.0.2"), etcdMember(2, "cp2", "10.5.0.3"),
                new EtcdMember(3, "", List.of("https://10.5.0.4:2380"), List.of(), false))));
        List<Member> members = registry.members();
        assertThat(ids(members)).as("a member added but not started has no name yet and is left out")
                .containsExactly("cp1", "cp2");
        assertThat(members.get(1)).isEqualTo(new Member("cp2", "cp2", "controlplane", List.of("10.5.0.3"), OS));
    }

    @Test
    void aRemovedControlPlaneLeavesAtOnceEvenIfAWorkerStillReportedIt() {
        registry.adopt(List.of(new Member("cp3", "cp3", "controlplane", List.of("10.5.0.4"), OS)));
        etcd.set(Optional.of(List.of(etcdMember(1, "cp1", "10.5.0.2"), etcdMember(2, "cp2", "10.5.0.3"))));
        assertThat(ids(registry.members())).containsExactly("cp1", "cp2");
    }

    @Test
    void workersStayForTheirTtlAndLeaveAtOnceOnGoodbye() {
        Member w1 = new Member("w1", "w1", "worker", List.of("10.5.0.5"), OS);
        Member w2 = new Member("w2", "w2", "worker", List.of("10.5.0.6"), OS);
        registry.announce(w1, Duration.ofSeconds(15));
        registry.announce(w2, Duration.ofSeconds(15));
        assertThat(ids(registry.members())).containsExactly("cp1", "w1", "w2");

        assertThat(registry.forget("w1")).isTrue();
        assertThat(ids(registry.members())).containsExactly("cp1", "w2");

        clock.advance(Duration.ofSeconds(16));
        assertThat(ids(registry.members())).as("w2 stopped announcing").containsExactly("cp1");
    }

    @Test
    void etcdNotAnsweringFallsBackToWhatIsKnown() {
        MemberRegistry failing = new MemberRegistry(self, () -> {
            throw new EtcdException(EtcdException.Reason.UNAVAILABLE, "no quorum");
        }, clock);
        failing.announce(new Member("w1", "w1", "worker", List.of("10.5.0.5"), OS), Duration.ofSeconds(15));
        assertThat(ids(failing.members())).containsExactly("cp1", "w1");
    }

    @Test
    void memberYamlHasTalosMemberSpecKeys() {
        assertThat(self.yaml()).isEqualTo("""
                nodeId: cp1
                addresses:
                    - 10.5.0.2
                hostname: cp1
                machineType: controlplane
                operatingSystem: Basalt (v0)
                """);
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
