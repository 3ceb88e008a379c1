package dev.basalt.networkd.dhcp;

import dev.basalt.networkd.NetworkController;
import dev.basalt.networkd.NetworkStatus;
import dev.basalt.networkd.config.InterfaceConfig;
import dev.basalt.networkd.config.NetworkConfig;
import dev.basalt.networkd.host.EtcFiles;
import dev.basalt.networkd.resource.ConfigLayer;
import dev.basalt.networkd.testing.Eventually;
import dev.basalt.networkd.testing.Processes;
import dev.basalt.networkd.testing.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DHCP client inside {@link NetworkController} against Debian's dnsmasq across a veth pair between two fresh
 * namespaces: lease installed (address, default route, DNS, search domain, hostname), renewed at T1, moved to a new
 * range after dnsmasq restarts with one, released on stop.
 */
@Tag("integration")
class DhcpDnsmasqTest {
    private static final String CLIENT_MAC = "02:00:00:00:77:01";

    @TempDir
    Path dir;
    private TestNamespace server;
    private TestNamespace client;
    private Process dnsmasq;
    private NetworkController controller;
    private final List<String> hostnames = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        server = TestNamespace.create("dhs");
        client = TestNamespace.create("dhc");
        client.ip("link", "add", "dh0", "address", CLIENT_MAC, "type", "veth", "peer", "name", "dh1", "netns", server.name());
        server.ip("addr", "add", "10.77.0.1/24", "dev", "dh1");
        server.ip("link", "set", "dh1", "up");
    }

    @AfterEach
    void tearDown() {
        if (controller != null) {
            controller.close();
        }
        Processes.stop(dnsmasq);
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Path log() {
        return dir.resolve("dnsmasq.log");
    }

    private void startDnsmasq(String range) throws IOException {
        dnsmasq = Processes.start(server.name(), dir.resolve("dnsmasq.out"), "dnsmasq", "--no-daemon", "--conf-file=/dev/null",
                "--port=0", "--interface=dh1", "--bind-interfaces", "--dhcp-authoritative", "--log-dhcp",
                "--log-facility=" + log(), "--dhcp-leasefile=" + dir.resolve("leases-" + range.hashCode()),
                "--pid-file=" + dir.resolve("dnsmasq.pid"), "--dhcp-range=" + range + ",255.255.255.0,2m",
                "--dhcp-option=option:T1,8", "--dhcp-option=option:router,10.77.0.1",
                "--dhcp-option=option:dns-server,10.77.0.53", "--dhcp-option=option:domain-search,example.test",
                "--dhcp-host=" + CLIENT_MAC + ",node-a");
        Eventually.within(Duration.ofSeconds(10), "dnsmasq listening", () -> logText().contains("DHCP, IP range"));
    }

    private String logText() {
        try {
            return Files.exists(log()) ? Files.readString(log()) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private int count(String regex) {
        Matcher m = Pattern.compile(regex).matcher(logText());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private Optional<String> clientAddress() {
        Matcher m = Pattern.compile("inet (10\\.77\\.0\\.\\d+)/24").matcher(client.ip("addr", "show", "dev", "dh0"));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    @Test
    @Timeout(120)
    void getsRenewsMovesAndReleasesALeaseFromDnsmasq() throws Exception {
        startDnsmasq("10.77.0.100,10.77.0.150");
        List<NetworkStatus> statuses = new CopyOnWriteArrayList<>();
        EtcFiles files = new EtcFiles(dir.resolve("etc/resolv.conf"), dir.resolve("etc/hosts"));
        controller = new NetworkController(new NetworkController.Environment(client.netlink(), client.packets(), hostnames::add,
                files, InstantSource.system(), RandomGenerator.getDefault(), Optional.empty(), statuses::add));
        Thread watcher = Thread.ofVirtual().start(controller::run);
        controller.apply(List.of(NetworkConfig.defaults(),
                NetworkConfig.empty(ConfigLayer.MACHINE_CONFIG).withInterfaces(List.of(InterfaceConfig.dhcp("dh0")))));

        // 1. Bound: address, default route, resolvers, hostname.
        Duration bound = Eventually.within(Duration.ofSeconds(20), "address from the first range on dh0",
                () -> clientAddress().filter(a -> Integer.parseInt(a.substring(8)) <= 150).isPresent());
        String first = clientAddress().orElseThrow();
        System.out.println("DHCP lease " + first + " installed after " + bound.toMillis() + " ms");
        assertThat(client.ip("-4", "route", "show")).contains("default via 10.77.0.1 dev dh0 proto dhcp src " + first + " metric 1024");
        Eventually.within(Duration.ofSeconds(5), "resolv.conf from DHCP", () -> {
            try {
                return Files.readString(files.resolvConf()).contains("nameserver 10.77.0.53\nsearch example.test\n");
            } catch (IOException e) {
                return false;
            }
        });
        assertThat(hostnames).contains("node-a");
        assertThat(Files.readString(files.hosts())).contains(first + "\tnode-a");
        assertThat(controller.status().orElseThrow().resolvers().searchDomains()).containsExactly("example.test");

        // 2. Renewal at T1 (8 s): a second DHCPREQUEST/DHCPACK pair for the same address in dnsmasq's log.
        Eventually.within(Duration.ofSeconds(20), "renewal in dnsmasq's log",
                () -> count("DHCPACK\\(dh1\\) " + Pattern.quote(first)) >= 2);
        assertThat(count("DHCPREQUEST\\(dh1\\) " + Pattern.quote(first))).isGreaterThanOrEqualTo(2);

        // 3. dnsmasq restarts with another range: the next renewal is refused and the client rebinds from scratch.
        Processes.stop(dnsmasq);
        startDnsmasq("10.77.0.200,10.77.0.250");
        Duration moved = Eventually.within(Duration.ofSeconds(40), "address from the second range on dh0",
                () -> clientAddress().filter(a -> Integer.parseInt(a.substring(8)) >= 200).isPresent());
        String second = clientAddress().orElseThrow();
        System.out.println("DHCP moved to " + second + " " + moved.toMillis() + " ms after dnsmasq restarted");
        assertThat(client.ip("addr", "show", "dev", "dh0")).doesNotContain(first + "/24");
        assertThat(client.ip("-4", "route", "show")).contains("default via 10.77.0.1 dev dh0 proto dhcp src " + second);

        // 4. Release on stop: dnsmasq logs it and the address goes away.
        controller.close();
        controller = null;
        Eventually.within(Duration.ofSeconds(10), "DHCPRELEASE in dnsmasq's log",
                () -> count("DHCPRELEASE\\(dh1\\) " + Pattern.quote(second)) >= 1);
        assertThat(client.ip("addr", "show", "dev", "dh0")).doesNotContain(second);
        watcher.join(Duration.ofSeconds(5));
        assertThat(statuses).isNotEmpty();
    }
}
