package dev.basalt.networkd.vip;

import dev.basalt.networkd.netlink.Rtnetlink;
import dev.basalt.networkd.testing.Eventually;
import dev.basalt.networkd.testing.Json;
import dev.basalt.networkd.testing.Processes;
import dev.basalt.networkd.testing.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Layer-2 VIP failover on the real kernel: two nodes and an observer in three namespaces on one bridge (in a fourth
 * namespace). The nodes elect through {@link InMemoryElection}, a test double standing in for the etcd lease. The
 * observer's neighbour entry for the VIP must move to the second node's MAC after the holder stops — stated bound:
 * within {@code VipController.POLL} (0.5 s) plus the announcement, asserted with slack at 3 s.
 */
@Tag("integration")
class VipTakeoverTest {
    private static final String VIP = "10.79.0.100";
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private TestNamespace bridge;
    private TestNamespace node1;
    private TestNamespace node2;
    private TestNamespace observer;

    @BeforeEach
    void setUp() throws Exception {
        bridge = TestNamespace.create("vbr");
        bridge.ip("link", "add", "br0", "type", "bridge");
        bridge.ip("link", "set", "br0", "up");
        node1 = attach("vn1", "10.79.0.11/24", "02:00:00:00:79:11");
        node2 = attach("vn2", "10.79.0.12/24", "02:00:00:00:79:12");
        observer = attach("vob", "10.79.0.3/24", "02:00:00:00:79:03");
    }

    private TestNamespace attach(String name, String address, String mac) throws Exception {
        TestNamespace ns = TestNamespace.create(name);
        ns.ip("link", "add", "eth0", "address", mac, "type", "veth", "peer", "name", "p-" + name, "netns", bridge.name());
        bridge.ip("link", "set", "p-" + name, "master", "br0");
        bridge.ip("link", "set", "p-" + name, "up");
        ns.ip("addr", "add", address, "dev", "eth0");
        ns.ip("link", "set", "eth0", "up");
        return ns;
    }

    @AfterEach
    void tearDown() {
        for (AutoCloseable c : cleanup.reversed()) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        for (TestNamespace ns : new TestNamespace[] {observer, node2, node1, bridge}) {
            if (ns != null) {
                ns.close();
            }
        }
    }

    private VipController start(TestNamespace ns, LeaderElection election) throws Exception {
        Rtnetlink rtnl = Rtnetlink.open(ns.netlink());
        cleanup.add(rtnl);
        VipController vip = new VipController("eth0", rtnl.indexOf("eth0"), (Inet4Address) InetAddress.getByName(VIP), rtnl,
                ns.packets(), election, InstantSource.system());
        cleanup.add(vip);
        Thread.ofVirtual().name("vip-" + ns.name()).start(vip);
        return vip;
    }

    private String observedMac() {
        List<Map<String, Object>> neigh = Json.parseArrayOfObjects(observer.ip("-j", "neigh", "show", VIP, "dev", "eth0"));
        return neigh.isEmpty() ? "" : String.valueOf(neigh.getFirst().get("lladdr"));
    }

    @Test
    @Timeout(60)
    void observerSeesTheVipMoveToTheOtherNodeWhenTheHolderStops() throws Exception {
        InMemoryElection election = new InMemoryElection(InstantSource.system());
        VipController first = start(node1, election.node("node1"));
        Eventually.within(Duration.ofSeconds(5), "node1 holds the VIP", first::holding);
        VipController second = start(node2, election.node("node2"));

        assertThat(node1.ip("addr", "show", "dev", "eth0")).contains(VIP + "/32");
        Processes.inNamespace(observer.name(), "ping", "-c", "1", "-W", "2", VIP);
        assertThat(observedMac()).isEqualTo("02:00:00:00:79:11");
        Thread.sleep(VipController.POLL.toMillis() * 3);
        assertThat(second.holding()).isFalse();
        assertThat(node2.ip("addr", "show", "dev", "eth0")).doesNotContain(VIP);

        long stopped = System.nanoTime();
        first.close();
        Eventually.within(Duration.ofSeconds(3), "observer's neighbour entry for the VIP shows node2's MAC",
                () -> observedMac().equals("02:00:00:00:79:12"));
        Duration takeover = Duration.ofNanos(System.nanoTime() - stopped);
        System.out.println("VIP takeover seen by the observer " + takeover.toMillis() + " ms after the holder was told to stop");

        assertThat(second.holding()).isTrue();
        assertThat(node1.ip("addr", "show", "dev", "eth0")).doesNotContain(VIP);
        assertThat(node2.ip("addr", "show", "dev", "eth0")).contains(VIP + "/32");
        Processes.inNamespace(observer.name(), "ping", "-c", "1", "-W", "2", VIP);
        assertThat(election.holder()).isEqualTo("node2");
    }
}
