package dev.basalt.machined.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.machined.api.ClusterMembers.Member;
import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.CertificateAuthority;
import dev.basalt.machinery.pki.ExtendedUsage;
import dev.basalt.machinery.pki.IssueRequest;
import dev.basalt.machinery.pki.KeyType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A worker's Announcer against a control plane's RegistryServer on loopback, over TLS with the cluster token. */
@Timeout(90)
class RegistryOverTlsTest {
    private static final String TOKEN = "abcdef.0123456789abcdef";
    private final CertificateAndKey ca = CertificateAuthority.create("basalt", List.of("basalt"), KeyType.ED25519,
            Duration.ofDays(1));
    private final MemberRegistry controlPlane = new MemberRegistry(
            new Member("cp1", "cp1", "controlplane", List.of("127.0.0.1"), "Basalt"), Optional::empty,
            Clock.systemUTC());
    private RegistryServer server;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        CertificateAndKey identity = new CertificateAuthority(ca).issue(IssueRequest.builder().commonName("cp1")
                .ipAddress(InetAddress.getLoopbackAddress()).usage(ExtendedUsage.SERVER_AUTH)
                .generateKey(KeyType.ED25519).validity(Duration.ofDays(1)).build());
        server = RegistryServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), identity, TOKEN,
                controlPlane);
    }

    @AfterEach
    void stop() {
        threads.forEach(Thread::interrupt);
        server.close();
    }

    private MemberRegistry worker(String id) {
        return new MemberRegistry(new Member(id, id, "worker", List.of("127.0.0.9"), "Basalt"), Optional::empty,
                Clock.systemUTC());
    }

    private Announcer announce(MemberRegistry worker, String token, List<String> console) throws Exception {
        Announcer a = new Announcer(worker, "127.0.0.1", server.port(), ca.certificate(), token, console::add);
        threads.add(Thread.ofVirtual().start(a));
        return a;
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 40 s");
            }
            Thread.sleep(50);
        }
    }

    @Test
    void workerAppearsOnTheControlPlaneLearnsTheListAndLeavesOnGoodbye() throws Exception {
        MemberRegistry w1 = worker("w1");
        List<String> console = new CopyOnWriteArrayList<>();
        Announcer announcer = announce(w1, TOKEN, console);
        await(() -> controlPlane.members().stream().anyMatch(m -> m.nodeId().equals("w1")));
        await(() -> w1.members().size() == 2);
        assertThat(w1.members()).extracting(Member::nodeId).containsExactly("cp1", "w1");

        announcer.goodbye();
        assertThat(controlPlane.members()).extracting(Member::nodeId).containsExactly("cp1");
    }

    @Test
    void aWrongTokenIsRefusedAndRegistersNothing() throws Exception {
        List<String> console = new CopyOnWriteArrayList<>();
        announce(worker("intruder"), "000000.0000000000000000", console);
        // Under load the first attempt may time out instead; the refusal comes with a later one.
        await(() -> console.stream().anyMatch(l -> l.contains("PERMISSION_DENIED")));
        assertThat(controlPlane.members()).extracting(Member::nodeId).containsExactly("cp1");
    }
}
