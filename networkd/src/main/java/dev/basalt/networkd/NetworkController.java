package dev.basalt.networkd;

import dev.basalt.networkd.config.InterfaceConfig;
import dev.basalt.networkd.config.NetworkConfig;
import dev.basalt.networkd.config.StaticRoute;
import dev.basalt.networkd.dhcp.DhcpClient;
import dev.basalt.networkd.dhcp.DhcpLease;
import dev.basalt.networkd.host.EtcFiles;
import dev.basalt.networkd.host.HostnameSetter;
import dev.basalt.networkd.netlink.NetlinkSocket;
import dev.basalt.networkd.netlink.RouteMessage;
import dev.basalt.networkd.netlink.RouteRequest;
import dev.basalt.networkd.netlink.Rtnetlink;
import dev.basalt.networkd.netlink.RtnetlinkEvent;
import dev.basalt.networkd.netlink.RtnetlinkWatch;
import dev.basalt.networkd.packet.PacketSocket;
import dev.basalt.networkd.resource.AddressStatus;
import dev.basalt.networkd.resource.ConfigLayer;
import dev.basalt.networkd.resource.HostnameStatus;
import dev.basalt.networkd.resource.IpPrefix;
import dev.basalt.networkd.resource.LinkStatus;
import dev.basalt.networkd.resource.ResolverStatus;
import dev.basalt.networkd.resource.RouteSpec;
import dev.basalt.networkd.resource.RouteStatus;
import dev.basalt.networkd.vip.LeaderElection;
import dev.basalt.networkd.vip.VipController;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * networkd's entry point in machined: given the configuration layers, makes links, addresses and routes match them,
 * runs a DHCP client per interface that asks for one, a VIP controller per shared address, sets the hostname, writes
 * {@code /etc/resolv.conf} and {@code /etc/hosts}, and publishes a {@link NetworkStatus} after every change.
 *
 * <p>It removes only what it added: addresses and routes someone else put on a link are left alone. Usage:
 * <pre>
 * var controller = new NetworkController(NetworkController.Environment.system(status -&gt; ...));
 * Thread.ofPlatform().daemon().start(controller::run); // watches the kernel; platform thread: it waits in poll(2)
 * controller.apply(List.of(NetworkConfig.defaults(), cmdlineLayer, machineConfigLayer));
 * ...
 * controller.close();                            // releases DHCP leases, gives up VIPs
 * </pre>
 * Thread-safe: {@link #apply} and the DHCP/VIP callbacks serialise on one lock.
 */
public final class NetworkController implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NetworkController.class.getName());

    /** Receives every published status, on whichever thread caused the change. */
    @FunctionalInterface
    public interface StatusListener {
        void published(NetworkStatus status);
    }

    /**
     * Everything the controller touches outside itself; the system one for machined, others in tests.
     *
     * @param netlink   opens rtnetlink sockets
     * @param packets   opens packet sockets for DHCP and gratuitous ARP
     * @param hostname  sets the kernel host name
     * @param files     where resolv.conf and hosts go
     * @param clock     time for DHCP and VIP timers
     * @param random    jitter for DHCP retransmissions
     * @param elections the leader election for the VIP on an interface; empty when none exists yet (a VIP then
     *                  fails with a clear error instead of being held unelected)
     * @param listener  receives statuses
     */
    public record Environment(NetlinkSocket.Factory netlink, PacketSocket.Factory packets, HostnameSetter hostname,
                              EtcFiles files, InstantSource clock, RandomGenerator random,
                              Optional<Function<InterfaceConfig, LeaderElection>> elections, StatusListener listener) {
        /** The real kernel, /etc files, and no VIP election yet (etcd provides it once it runs). */
        public static Environment system(StatusListener listener) {
            return new Environment(dev.basalt.networkd.linux.LinuxNetlinkSocket.factory(),
                    dev.basalt.networkd.linux.LinuxPacketSocket.factory(), new dev.basalt.networkd.linux.LinuxHostname(),
                    EtcFiles.system(), InstantSource.system(), RandomGenerator.getDefault(), Optional.empty(), listener);
        }
    }

    private final Environment env;
    private final Rtnetlink rtnl;
    private final Object lock = new Object();
    private final Map<String, DhcpClient> dhcpClients = new HashMap<>();
    private final Map<String, DhcpLease> leases = new LinkedHashMap<>();
    private final Map<String, VipController> vips = new HashMap<>();
    private final Set<OwnedAddress> ownedAddresses = new HashSet<>();
    private final Set<RouteRequest> ownedRoutes = new HashSet<>();
    private List<NetworkConfig> layers = List.of(NetworkConfig.defaults());
    private String hostnameSet = "";
    private volatile boolean closed;
    private volatile NetworkStatus status;
    private volatile RtnetlinkWatch watch;

    private record OwnedAddress(int index, IpPrefix prefix) {
    }

    public NetworkController(Environment env) throws IOException {
        this.env = env;
        this.rtnl = Rtnetlink.open(env.netlink());
    }

    /** The last published status, if any. */
    public Optional<NetworkStatus> status() {
        return Optional.ofNullable(status);
    }

    /** The lease DHCP holds on {@code interfaceName}, if any. */
    public Optional<DhcpLease> lease(String interfaceName) {
        synchronized (lock) {
            return Optional.ofNullable(leases.get(interfaceName));
        }
    }

    /** The VIP controller on {@code interfaceName}, if one runs. */
    public Optional<VipController> vip(String interfaceName) {
        synchronized (lock) {
            return Optional.ofNullable(vips.get(interfaceName));
        }
    }

    /**
     * Adopts new configuration layers (lowest first: defaults, cmdline, machine config) and reconciles now. Errors
     * for single items (one route the kernel refuses) are logged and do not stop the others.
     */
    public void apply(List<NetworkConfig> lowestFirst) throws IOException {
        synchronized (lock) {
            layers = List.copyOf(lowestFirst);
            reconcile();
        }
    }

    /** Watches the kernel until {@link #close()}: publishes statuses and re-applies when links change. */
    public void run() {
        try (RtnetlinkWatch w = RtnetlinkWatch.open(env.netlink())) {
            watch = w;
            while (!closed) {
                List<RtnetlinkEvent> events = w.next(Duration.ofSeconds(1));
                if (events.isEmpty() || closed) {
                    continue;
                }
                boolean linkChange = events.stream().anyMatch(e -> e instanceof RtnetlinkEvent.LinkChanged
                        || e instanceof RtnetlinkEvent.LinkRemoved || e instanceof RtnetlinkEvent.Resync);
                synchronized (lock) {
                    if (closed) {
                        break;
                    }
                    if (linkChange) {
                        reconcile();
                    } else {
                        publish();
                    }
                }
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.log(Level.SEVERE, "network watch failed: " + e.getMessage(), e);
            }
        }
    }

    private void reconcile() throws IOException {
        NetworkConfig merged = NetworkConfig.merge(layers);
        Map<String, LinkStatus> before = byName(rtnl.links());
        for (InterfaceConfig i : merged.interfaces()) {
            i.bond().ifPresent(b -> guarded("create bond " + i.name(), () -> ensureBond(i, b, before)));
        }
        Map<String, LinkStatus> links = byName(rtnl.links());
        for (InterfaceConfig i : merged.interfaces()) {
            LinkStatus parent = links.get(i.name());
            for (InterfaceConfig.Vlan v : i.vlans()) {
                String name = vlanName(i.name(), v.id());
                if (parent != null && !links.containsKey(name)) {
                    guarded("create VLAN " + name, () -> rtnl.createVlan(name, parent.index(), v.id()));
                }
            }
        }
        links = byName(rtnl.links());

        List<InterfaceConfig> all = expandVlans(merged.interfaces());
        Set<OwnedAddress> wantedAddresses = new LinkedHashSet<>();
        Set<RouteRequest> wantedRoutes = new LinkedHashSet<>();
        for (InterfaceConfig i : all) {
            LinkStatus link = links.get(i.name());
            if (link == null) {
                continue; // not there yet: the watch re-applies when it appears
            }
            Optional<Integer> mtu = i.mtu().or(() -> Optional.ofNullable(leases.get(i.name())).flatMap(DhcpLease::mtu));
            mtu.filter(m -> m != link.mtu()).ifPresent(m -> guarded("set MTU of " + i.name(), () -> rtnl.setMtu(link.index(), m)));
            if (!link.administrativelyUp()) {
                guarded("set " + i.name() + " up", () -> rtnl.setLinkUp(link.index(), true));
            }
            for (IpPrefix a : i.addresses()) {
                wantedAddresses.add(new OwnedAddress(link.index(), a));
            }
            for (StaticRoute r : i.routes()) {
                wantedRoutes.add(new RouteRequest(r.network().network(), r.gateway(), link.index(), r.source(), r.metric(),
                        r.table(), RouteMessage.RTPROT_STATIC));
            }
            DhcpLease lease = leases.get(i.name());
            if (lease != null) {
                wantedAddresses.add(new OwnedAddress(link.index(), lease.address()));
                wantedRoutes.addAll(dhcpRoutes(lease, link.index()));
            }
        }

        applyAddresses(wantedAddresses);
        applyRoutes(wantedRoutes);
        if (!closed) {
            // While closing, a lease released by a stopping client still comes through here to remove its address;
            // starting clients again then would take a fresh lease behind our back.
            manageDhcp(all, links);
            manageVips(all, links);
        }
        applyHostnameAndResolvers(merged, List.copyOf(links.values()));
        publish();
    }

    private void ensureBond(InterfaceConfig i, InterfaceConfig.Bond b, Map<String, LinkStatus> links) throws IOException {
        int bond = links.containsKey(i.name()) ? links.get(i.name()).index() : rtnl.createBond(i.name(), b.mode(), b.miimonMillis());
        for (String member : b.members()) {
            LinkStatus m = links.get(member);
            if (m != null && m.masterIndex() != bond) {
                // The kernel only enslaves links that are down.
                rtnl.setLinkUp(m.index(), false);
                rtnl.setMaster(m.index(), bond);
                rtnl.setLinkUp(m.index(), true);
            }
        }
    }

    private static String vlanName(String parent, int id) {
        return parent + "." + id;
    }

    private static List<InterfaceConfig> expandVlans(List<InterfaceConfig> interfaces) {
        List<InterfaceConfig> out = new ArrayList<>();
        for (InterfaceConfig i : interfaces) {
            out.add(i);
            for (InterfaceConfig.Vlan v : i.vlans()) {
                out.add(new InterfaceConfig(vlanName(i.name(), v.id()), v.dhcp(), v.addresses(), v.routes(), v.mtu(),
                        List.of(), Optional.empty(), Optional.empty()));
            }
        }
        return out;
    }

    private static List<RouteRequest> dhcpRoutes(DhcpLease lease, int index) {
        List<RouteRequest> out = new ArrayList<>();
        Optional<InetAddress> source = Optional.of(lease.address().address());
        if (!lease.classlessRoutes().isEmpty()) {
            // RFC 3442 §3: with classless routes present the client ignores the router option.
            for (DhcpLease.ClasslessRoute r : lease.classlessRoutes()) {
                boolean onLink = r.router().equals(anyV4());
                out.add(new RouteRequest(r.destination(), onLink ? Optional.empty() : Optional.of(r.router()), index, source,
                        RouteSpec.DEFAULT_METRIC, RouteSpec.MAIN_TABLE, RouteMessage.RTPROT_DHCP));
            }
        } else if (!lease.routers().isEmpty()) {
            out.add(new RouteRequest(IpPrefix.parse("0.0.0.0/0"), Optional.of(lease.routers().getFirst()), index, source,
                    RouteSpec.DEFAULT_METRIC, RouteSpec.MAIN_TABLE, RouteMessage.RTPROT_DHCP));
        }
        return out;
    }

    private static InetAddress anyV4() {
        return IpPrefix.parseAddress("0.0.0.0");
    }

    private void applyAddresses(Set<OwnedAddress> wanted) throws IOException {
        Set<OwnedAddress> present = new HashSet<>();
        for (AddressStatus a : rtnl.addresses()) {
            present.add(new OwnedAddress(a.linkIndex(), a.address()));
        }
        for (OwnedAddress a : wanted) {
            if (!present.contains(a)) {
                guarded("add address " + a.prefix(), () -> rtnl.addAddress(a.index(), a.prefix()));
            }
            ownedAddresses.add(a);
        }
        for (OwnedAddress a : List.copyOf(ownedAddresses)) {
            if (!wanted.contains(a)) {
                if (present.contains(a)) {
                    guarded("remove address " + a.prefix(), () -> rtnl.deleteAddress(a.index(), a.prefix()));
                }
                ownedAddresses.remove(a);
            }
        }
    }

    private void applyRoutes(Set<RouteRequest> wanted) throws IOException {
        List<RouteStatus> present = rtnl.routes();
        for (RouteRequest r : wanted) {
            if (present.stream().noneMatch(p -> matches(p, r))) {
                guarded("add route " + r.destination(), () -> rtnl.addRoute(r));
            }
            ownedRoutes.add(r);
        }
        for (RouteRequest r : List.copyOf(ownedRoutes)) {
            if (!wanted.contains(r)) {
                if (present.stream().anyMatch(p -> matches(p, r))) {
                    guarded("remove route " + r.destination(), () -> rtnl.deleteRoute(r));
                }
                ownedRoutes.remove(r);
            }
        }
    }

    private static boolean matches(RouteStatus p, RouteRequest r) {
        return p.table() == r.table() && p.destination().equals(r.destination().network()) && p.metric() == r.metric()
                && p.gateway().equals(r.gateway()) && p.outputLinkIndex() == r.outputLinkIndex();
    }

    private void manageDhcp(List<InterfaceConfig> interfaces, Map<String, LinkStatus> links) {
        Set<String> wanted = new HashSet<>();
        for (InterfaceConfig i : interfaces) {
            LinkStatus link = links.get(i.name());
            if (!i.dhcp() || link == null) {
                continue;
            }
            wanted.add(i.name());
            if (dhcpClients.containsKey(i.name())) {
                continue;
            }
            try {
                PacketSocket socket = env.packets().open(link.index(), 0x0800);
                String name = i.name();
                DhcpClient client = new DhcpClient(name, socket, env.clock(), env.random(), new DhcpClient.Listener() {
                    @Override
                    public void bound(DhcpLease lease) {
                        onLease(name, lease);
                    }

                    @Override
                    public void lost(DhcpLease lease, String reason) {
                        onLease(name, null);
                    }
                }, Optional.empty());
                dhcpClients.put(name, client);
                // The client waits in poll(2) through a foreign call, which pins a virtual thread to its carrier
                // for the whole wait; a platform thread per interface keeps the carriers free for everyone else.
                Thread.ofPlatform().daemon().name("dhcp-" + name).start(client);
            } catch (IOException | RuntimeException e) {
                LOG.warning("cannot start DHCP on " + i.name() + ": " + e.getMessage());
            }
        }
        for (String name : List.copyOf(dhcpClients.keySet())) {
            if (!wanted.contains(name)) {
                dhcpClients.remove(name).stop();
            }
        }
    }

    private void onLease(String name, DhcpLease lease) {
        synchronized (lock) {
            if (lease == null) {
                leases.remove(name);
            } else {
                leases.put(name, lease);
            }
            if (closed && lease != null) {
                return;
            }
            try {
                reconcile();
            } catch (IOException e) {
                LOG.warning("applying DHCP lease on " + name + " failed: " + e.getMessage());
            }
        }
    }

    private void manageVips(List<InterfaceConfig> interfaces, Map<String, LinkStatus> links) {
        Set<String> wanted = new HashSet<>();
        for (InterfaceConfig i : interfaces) {
            LinkStatus link = links.get(i.name());
            if (i.vip().isEmpty() || link == null) {
                continue;
            }
            wanted.add(i.name());
            if (vips.containsKey(i.name())) {
                continue;
            }
            if (env.elections().isEmpty()) {
                LOG.severe("VIP " + i.vip().get().address().getHostAddress() + " on " + i.name()
                        + " needs a leader election (etcd), which is not available yet; not holding it");
                continue;
            }
            try {
                VipController vip = new VipController(i.name(), link.index(), i.vip().get().address(), rtnl,
                        env.packets(), env.elections().get().apply(i), env.clock());
                vips.put(i.name(), vip);
                Thread.ofVirtual().name("vip-" + i.name()).start(vip);
            } catch (RuntimeException e) {
                LOG.warning("cannot start VIP on " + i.name() + ": " + e.getMessage());
            }
        }
        for (String name : List.copyOf(vips.keySet())) {
            if (!wanted.contains(name)) {
                vips.remove(name).close();
            }
        }
    }

    private void applyHostnameAndResolvers(NetworkConfig merged, List<LinkStatus> links) {
        HostnameStatus hostname = chooseHostname(links);
        if (!hostname.hostname().equals(hostnameSet)) {
            guarded("set hostname " + hostname.hostname(), () -> env.hostname().set(hostname.hostname()));
            hostnameSet = hostname.hostname();
        }
        ResolverStatus resolvers = chooseResolvers(merged);
        guarded("write " + env.files().resolvConf(), () -> env.files().writeResolvConf(resolvers));
        List<InetAddress> own = ownedAddresses.stream().map(a -> a.prefix().address()).filter(a -> a instanceof Inet4Address).distinct().toList();
        guarded("write " + env.files().hosts(), () -> env.files().writeHosts(hostname, own));
    }

    /** Machine config &gt; DHCP &gt; kernel cmdline &gt; a name derived from the first Ethernet address. */
    private HostnameStatus chooseHostname(List<LinkStatus> links) {
        Optional<String> fromMachine = layerValue(ConfigLayer.MACHINE_CONFIG, NetworkConfig::hostname);
        Optional<String> fromDhcp = leases.values().stream().map(DhcpLease::hostname).flatMap(Optional::stream).findFirst();
        Optional<String> fromCmdline = layerValue(ConfigLayer.CMDLINE, NetworkConfig::hostname);
        String name = fromMachine.or(() -> fromDhcp).or(() -> fromCmdline).orElseGet(() -> derivedHostname(links));
        if (name.contains(".")) {
            return new HostnameStatus(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1));
        }
        String domain = layerValue(ConfigLayer.MACHINE_CONFIG, NetworkConfig::domainname)
                .or(() -> leases.values().stream().map(DhcpLease::domainName).filter(d -> !d.isEmpty()).findFirst())
                .or(() -> layerValue(ConfigLayer.CMDLINE, NetworkConfig::domainname)).orElse("");
        return new HostnameStatus(name, domain);
    }

    /** From the first Ethernet link's address as the kernel reports it now (the published status may lag). */
    private static String derivedHostname(List<LinkStatus> links) {
        String mac = links.stream().filter(l -> l.deviceType() == 1)
                .sorted(java.util.Comparator.comparingInt(LinkStatus::index))
                .map(LinkStatus::hardwareAddress).filter(m -> m.length() == 17 && !m.equals("00:00:00:00:00:00"))
                .findFirst().orElse("00:00:00:00:00:00");
        return "basalt-" + mac.substring(9).replace(":", "");
    }

    private <T> Optional<T> layerValue(ConfigLayer layer, Function<NetworkConfig, Optional<T>> field) {
        Optional<T> out = Optional.empty();
        for (NetworkConfig c : layers) {
            if (c.layer() == layer) {
                out = field.apply(c).or(() -> Optional.empty());
            }
        }
        return out;
    }

    /** Machine config &gt; DHCP &gt; kernel cmdline &gt; defaults, for servers and search domains separately. */
    private ResolverStatus chooseResolvers(NetworkConfig merged) {
        List<InetAddress> machine = listOf(ConfigLayer.MACHINE_CONFIG, NetworkConfig::nameservers);
        List<InetAddress> dhcp = leases.values().stream().flatMap(l -> l.dnsServers().stream()).map(a -> (InetAddress) a).distinct().toList();
        List<InetAddress> cmdline = listOf(ConfigLayer.CMDLINE, NetworkConfig::nameservers);
        List<InetAddress> defaults = listOf(ConfigLayer.DEFAULT, NetworkConfig::nameservers);
        List<InetAddress> servers = !machine.isEmpty() ? machine : !dhcp.isEmpty() ? dhcp : !cmdline.isEmpty() ? cmdline : defaults;

        List<String> searchMachine = listOf(ConfigLayer.MACHINE_CONFIG, NetworkConfig::searchDomains);
        List<String> searchDhcp = leases.values().stream().flatMap(l -> l.searchDomains().isEmpty()
                ? (l.domainName().isEmpty() ? java.util.stream.Stream.<String>empty() : java.util.stream.Stream.of(l.domainName()))
                : l.searchDomains().stream()).distinct().toList();
        List<String> search = !searchMachine.isEmpty() ? searchMachine : !searchDhcp.isEmpty() ? searchDhcp : merged.searchDomains();
        return new ResolverStatus(servers, search);
    }

    private <T> List<T> listOf(ConfigLayer layer, Function<NetworkConfig, List<T>> field) {
        List<T> out = List.of();
        for (NetworkConfig c : layers) {
            if (c.layer() == layer && !field.apply(c).isEmpty()) {
                out = field.apply(c);
            }
        }
        return out;
    }

    private void publish() throws IOException {
        NetworkConfig merged = NetworkConfig.merge(layers);
        NetworkStatus s = new NetworkStatus(rtnl.links(), rtnl.addresses(), rtnl.routes(), chooseHostname(rtnl.links()), chooseResolvers(merged));
        if (!s.equals(status)) {
            status = s;
            env.listener().published(s);
        }
    }

    private static Map<String, LinkStatus> byName(List<LinkStatus> links) {
        Map<String, LinkStatus> out = new LinkedHashMap<>();
        links.forEach(l -> out.put(l.name(), l));
        return out;
    }

    private interface Step {
        void run() throws IOException;
    }

    private static void guarded(String what, Step step) {
        try {
            step.run();
        } catch (IOException | RuntimeException e) {
            LOG.warning(what + ": " + e.getMessage());
        }
    }

    /** Releases DHCP leases (removing their addresses), gives up VIPs, and stops watching. Waits up to 5 s. */
    @Override
    public void close() {
        List<DhcpClient> clients;
        List<VipController> vipList;
        synchronized (lock) {
            closed = true;
            clients = List.copyOf(dhcpClients.values());
            vipList = List.copyOf(vips.values());
            dhcpClients.clear();
            vips.clear();
        }
        vipList.forEach(VipController::close);
        clients.forEach(DhcpClient::stop);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (DhcpClient c : clients) {
            while (c.state() != dev.basalt.networkd.dhcp.DhcpState.STOPPED && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        RtnetlinkWatch w = watch;
        if (w != null) {
            w.close();
        }
        rtnl.close();
    }
}
