package dev.basalt.networkd;

import dev.basalt.networkd.config.InterfaceConfig;
import dev.basalt.networkd.config.KernelIpArgument;
import dev.basalt.networkd.config.NetworkConfig;
import dev.basalt.networkd.config.StaticRoute;
import dev.basalt.networkd.host.EtcFiles;
import dev.basalt.networkd.resource.ConfigLayer;
import dev.basalt.networkd.resource.IpPrefix;
import dev.basalt.networkd.testing.Eventually;
import dev.basalt.networkd.testing.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/** Static addressing from the config layers, applied by the controller in a fresh namespace and checked with ip. */
@Tag("integration")
class NetworkControllerStaticTest {
    @TempDir
    Path dir;
    private TestNamespace ns;
    private NetworkController controller;
    private final List<String> hostnames = new CopyOnWriteArrayList<>();
    private final List<NetworkStatus> statuses = new CopyOnWriteArrayList<>();
    private EtcFiles files;

    @BeforeEach
    void setUp() throws Exception {
        ns = TestNamespace.create("ctl");
        ns.ip("link", "add", "eth0", "type", "veth", "peer", "name", "eth0p");
        files = new EtcFiles(dir.resolve("resolv.conf"), dir.resolve("hosts"));
        controller = new NetworkController(new NetworkController.Environment(ns.netlink(), ns.packets(), hostnames::add, files,
                InstantSource.system(), RandomGenerator.getDefault(), Optional.empty(), statuses::add));
    }

    @AfterEach
    void tearDown() {
        if (controller != null) {
            controller.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    @Timeout(30)
    void appliesMachineConfigOverCmdlineAndRemovesOnlyWhatItAdded() throws Exception {
        NetworkConfig cmdline = KernelIpArgument.parse("192.0.2.10::192.0.2.1:255.255.255.0:cmd-host:eth0:off:192.0.2.53", "eth0");
        NetworkConfig machine = NetworkConfig.empty(ConfigLayer.MACHINE_CONFIG).withHostname("node-b")
                .withInterfaces(List.of(new InterfaceConfig("eth0", false, List.of(IpPrefix.parse("198.51.100.7/24")),
                        List.of(StaticRoute.of(IpPrefix.parse("0.0.0.0/0"), InetAddress.getByName("198.51.100.1")),
                                new StaticRoute(IpPrefix.parse("203.0.113.0/24"), Optional.of(InetAddress.getByName("198.51.100.2")),
                                        Optional.empty(), 10, 100)),
                        Optional.of(1400), List.of(), Optional.empty(), Optional.empty())));
        ns.ip("addr", "add", "10.99.0.1/24", "dev", "eth0"); // someone else's address: must survive

        controller.apply(List.of(NetworkConfig.defaults(), cmdline));
        assertThat(ns.ip("addr", "show", "dev", "eth0")).contains("inet 192.0.2.10/24");
        assertThat(ns.ip("-4", "route")).contains("default via 192.0.2.1 dev eth0 proto static metric 1024");
        assertThat(hostnames).containsExactly("cmd-host");
        assertThat(Files.readString(files.resolvConf())).contains("nameserver 192.0.2.53");

        controller.apply(List.of(NetworkConfig.defaults(), cmdline, machine));
        String addresses = ns.ip("addr", "show", "dev", "eth0");
        assertThat(addresses).contains("inet 198.51.100.7/24").contains("inet 10.99.0.1/24").doesNotContain("192.0.2.10");
        assertThat(addresses).contains("mtu 1400").contains("UP");
        assertThat(ns.ip("-4", "route")).contains("default via 198.51.100.1 dev eth0 proto static metric 1024")
                .doesNotContain("192.0.2.1");
        assertThat(ns.ip("-4", "route", "show", "table", "100")).contains("203.0.113.0/24 via 198.51.100.2 dev eth0 proto static metric 10");
        assertThat(hostnames).containsExactly("cmd-host", "node-b");
        assertThat(Files.readString(files.resolvConf())).contains("nameserver 192.0.2.53"); // cmdline still wins over defaults
        assertThat(Files.readString(files.hosts())).contains("198.51.100.7\tnode-b");

        NetworkStatus status = controller.status().orElseThrow();
        assertThat(status.hostname().hostname()).isEqualTo("node-b");
        assertThat(status.addresses()).anyMatch(a -> a.address().toString().equals("198.51.100.7/24"));
        assertThat(status.links()).anyMatch(l -> l.name().equals("eth0") && l.mtu() == 1400);
    }

    @Test
    @Timeout(30)
    void configuresALinkThatAppearsLater() throws Exception {
        Thread watcher = Thread.ofVirtual().start(controller::run);
        controller.apply(List.of(NetworkConfig.defaults(), NetworkConfig.empty(ConfigLayer.MACHINE_CONFIG)
                .withInterfaces(List.of(InterfaceConfig.statics("late0", List.of(IpPrefix.parse("192.0.2.44/24")), List.of())))));
        Thread.sleep(300);
        ns.ip("link", "add", "late0", "type", "veth", "peer", "name", "late0p");

        Duration took = Eventually.within(Duration.ofSeconds(5), "address on late0 after it appeared",
                () -> ns.ip("addr", "show", "dev", "late0").contains("192.0.2.44/24"));
        System.out.println("late link configured " + took.toMillis() + " ms after it appeared");
        controller.close();
        controller = null;
        watcher.join(Duration.ofSeconds(5));
        assertThat(watcher.isAlive()).isFalse();
    }
}
