package dev.basalt.networkd.netlink;

import dev.basalt.networkd.resource.AddressStatus;
import dev.basalt.networkd.resource.BondMode;
import dev.basalt.networkd.resource.IpPrefix;
import dev.basalt.networkd.resource.LinkStatus;
import dev.basalt.networkd.resource.NeighbourStatus;
import dev.basalt.networkd.resource.OperState;
import dev.basalt.networkd.resource.RouteStatus;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The rtnetlink client: lists links, addresses, routes and neighbours and changes them, one request at a time over a
 * {@link NetlinkSocket}.
 *
 * <p>Owns the socket it was given. Thread-safe: requests are serialised by a lock, so a reply is always matched to
 * its request by sequence number on a socket no one else reads.
 */
public final class Rtnetlink implements AutoCloseable {
    private static final int AF_UNSPEC = 0;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);
    private static final int DUMP_ATTEMPTS = 5;

    private final NetlinkSocket socket;
    private final ReentrantLock lock = new ReentrantLock();
    private int sequence = (int) (System.nanoTime() & 0x3fffffff);

    public Rtnetlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Opens a request socket from {@code factory}. */
    public static Rtnetlink open(NetlinkSocket.Factory factory) throws IOException {
        return new Rtnetlink(factory.open(0));
    }

    // ---- listing ----

    public List<LinkStatus> links() throws IOException {
        List<LinkStatus> out = new ArrayList<>();
        for (NetlinkMessage m : dump(NetlinkMessage.RTM_GETLINK, new LinkMessage(AF_UNSPEC, 0, 0, 0, 0, List.of()).encode())) {
            if (m.type() == NetlinkMessage.RTM_NEWLINK) {
                out.add(toLinkStatus(LinkMessage.decode(m.body())));
            }
        }
        return List.copyOf(out);
    }

    /** The link called {@code name}, if there is one. */
    public Optional<LinkStatus> link(String name) throws IOException {
        return links().stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** The index of link {@code name}, or an error naming it. */
    public int indexOf(String name) throws IOException {
        return link(name).map(LinkStatus::index)
                .orElseThrow(() -> new RtnetlinkException("find link '" + name + "'", 19, Optional.empty()));
    }

    public List<AddressStatus> addresses() throws IOException {
        List<AddressStatus> out = new ArrayList<>();
        for (NetlinkMessage m : dump(NetlinkMessage.RTM_GETADDR, new AddressMessage(AF_UNSPEC, 0, 0, 0, 0, List.of()).encode())) {
            if (m.type() == NetlinkMessage.RTM_NEWADDR) {
                toAddressStatus(AddressMessage.decode(m.body())).ifPresent(out::add);
            }
        }
        return List.copyOf(out);
    }

    /** Every route of every table, IPv4 and IPv6. */
    public List<RouteStatus> routes() throws IOException {
        List<RouteStatus> out = new ArrayList<>();
        for (NetlinkMessage m : dump(NetlinkMessage.RTM_GETROUTE,
                new RouteMessage(AF_UNSPEC, 0, 0, 0, 0, 0, 0, 0, 0, List.of()).encode())) {
            if (m.type() == NetlinkMessage.RTM_NEWROUTE) {
                toRouteStatus(RouteMessage.decode(m.body())).ifPresent(out::add);
            }
        }
        return List.copyOf(out);
    }

    public List<NeighbourStatus> neighbours() throws IOException {
        List<NeighbourStatus> out = new ArrayList<>();
        for (NetlinkMessage m : dump(NetlinkMessage.RTM_GETNEIGH, new NeighbourMessage(AF_UNSPEC, 0, 0, 0, 0, List.of()).encode())) {
            if (m.type() == NetlinkMessage.RTM_NEWNEIGH) {
                toNeighbourStatus(NeighbourMessage.decode(m.body())).ifPresent(out::add);
            }
        }
        return List.copyOf(out);
    }

    // ---- changes ----

    public void setLinkUp(int index, boolean up) throws IOException {
        LinkMessage body = new LinkMessage(AF_UNSPEC, 0, index, up ? LinkMessage.IFF_UP : 0, LinkMessage.IFF_UP, List.of());
        request("set link " + index + (up ? " up" : " down"), NetlinkMessage.RTM_NEWLINK, 0, body.encode());
    }

    public void setMtu(int index, int mtu) throws IOException {
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("MTU for link " + index + " must be 68..65535, got " + mtu);
        }
        LinkMessage body = new LinkMessage(AF_UNSPEC, 0, index, 0, 0, List.of(NetlinkAttribute.ofU32(LinkMessage.IFLA_MTU, mtu)));
        request("set link " + index + " mtu " + mtu, NetlinkMessage.RTM_NEWLINK, 0, body.encode());
    }

    /** Enslaves link {@code index} to {@code masterIndex}, or releases it when {@code masterIndex} is 0. */
    public void setMaster(int index, int masterIndex) throws IOException {
        LinkMessage body = new LinkMessage(AF_UNSPEC, 0, index, 0, 0,
                List.of(NetlinkAttribute.ofU32(LinkMessage.IFLA_MASTER, masterIndex)));
        request("set link " + index + " master " + masterIndex, NetlinkMessage.RTM_NEWLINK, 0, body.encode());
    }

    /** Creates VLAN {@code vlanId} on {@code parentIndex} named {@code name}; returns its index. */
    public int createVlan(String name, int parentIndex, int vlanId) throws IOException {
        if (vlanId < 1 || vlanId > 4094) {
            throw new IllegalArgumentException("VLAN id for " + name + " must be 1..4094, got " + vlanId);
        }
        List<NetlinkAttribute> info = List.of(
                NetlinkAttribute.ofString(LinkMessage.IFLA_INFO_KIND, "vlan"),
                NetlinkAttribute.nested(LinkMessage.IFLA_INFO_DATA, List.of(NetlinkAttribute.ofU16(LinkMessage.IFLA_VLAN_ID, vlanId))));
        return createLink(name, List.of(NetlinkAttribute.ofU32(LinkMessage.IFLA_LINK, parentIndex),
                NetlinkAttribute.nested(LinkMessage.IFLA_LINKINFO, info)), "vlan " + vlanId + " on link " + parentIndex);
    }

    /** Creates bond {@code name} in {@code mode} with MII monitoring every {@code miimonMillis}; returns its index. */
    public int createBond(String name, BondMode mode, int miimonMillis) throws IOException {
        List<NetlinkAttribute> info = List.of(
                NetlinkAttribute.ofString(LinkMessage.IFLA_INFO_KIND, "bond"),
                NetlinkAttribute.nested(LinkMessage.IFLA_INFO_DATA, List.of(
                        NetlinkAttribute.ofU8(LinkMessage.IFLA_BOND_MODE, mode.kernelValue()),
                        NetlinkAttribute.ofU32(LinkMessage.IFLA_BOND_MIIMON, miimonMillis))));
        return createLink(name, List.of(NetlinkAttribute.nested(LinkMessage.IFLA_LINKINFO, info)), "bond " + mode.configName());
    }

    private int createLink(String name, List<NetlinkAttribute> attributes, String what) throws IOException {
        if (name.isEmpty() || name.length() > 15 || name.contains("/") || name.contains(" ")) {
            throw new IllegalArgumentException("link name '" + name + "' must be 1..15 characters without '/' or spaces");
        }
        List<NetlinkAttribute> all = new ArrayList<>();
        all.add(NetlinkAttribute.ofString(LinkMessage.IFLA_IFNAME, name));
        all.addAll(attributes);
        request("create link " + name + " (" + what + ")", NetlinkMessage.RTM_NEWLINK,
                NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_EXCL, new LinkMessage(AF_UNSPEC, 0, 0, 0, 0, all).encode());
        return indexOf(name);
    }

    public void deleteLink(int index) throws IOException {
        request("delete link " + index, NetlinkMessage.RTM_DELLINK, 0, new LinkMessage(AF_UNSPEC, 0, index, 0, 0, List.of()).encode());
    }

    /** Adds {@code address} to link {@code index}; adding one already present changes nothing. */
    public void addAddress(int index, IpPrefix address) throws IOException {
        request("add address " + address + " to link " + index, NetlinkMessage.RTM_NEWADDR,
                NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_REPLACE, addressMessage(index, address).encode());
    }

    public void deleteAddress(int index, IpPrefix address) throws IOException {
        request("delete address " + address + " from link " + index, NetlinkMessage.RTM_DELADDR, 0,
                addressMessage(index, address).encode());
    }

    private static AddressMessage addressMessage(int index, IpPrefix address) {
        byte[] raw = address.address().getAddress();
        List<NetlinkAttribute> attributes = new ArrayList<>();
        attributes.add(NetlinkAttribute.ofBytes(AddressMessage.IFA_LOCAL, raw));
        attributes.add(NetlinkAttribute.ofBytes(AddressMessage.IFA_ADDRESS, raw));
        if (address.isIpv4() && address.length() < 31) {
            // Set the directed broadcast as `ip addr add ... brd +` does; the kernel does not derive it.
            byte[] broadcast = raw.clone();
            for (int bit = address.length(); bit < 32; bit++) {
                broadcast[bit / 8] |= (byte) (0x80 >>> (bit % 8));
            }
            attributes.add(NetlinkAttribute.ofBytes(AddressMessage.IFA_BROADCAST, broadcast));
        }
        return new AddressMessage(family(address.address()), address.length(), 0, RouteMessage.RT_SCOPE_UNIVERSE, index, attributes);
    }

    /** Adds or replaces {@code route} (same destination, table and metric). */
    public void addRoute(RouteRequest route) throws IOException {
        request("add route " + describe(route), NetlinkMessage.RTM_NEWROUTE,
                NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_REPLACE, routeMessage(route, RouteMessage.RTN_UNICAST).encode());
    }

    public void deleteRoute(RouteRequest route) throws IOException {
        request("delete route " + describe(route), NetlinkMessage.RTM_DELROUTE, 0, routeMessage(route, RouteMessage.RTN_UNICAST).encode());
    }

    private static String describe(RouteRequest r) {
        return r.destination() + r.gateway().map(g -> " via " + g.getHostAddress()).orElse("")
                + (r.outputLinkIndex() > 0 ? " dev " + r.outputLinkIndex() : "") + " metric " + r.metric() + " table " + r.table();
    }

    private static RouteMessage routeMessage(RouteRequest r, int type) {
        IpPrefix destination = r.destination().network();
        List<NetlinkAttribute> attributes = new ArrayList<>();
        if (destination.length() > 0) {
            attributes.add(NetlinkAttribute.ofBytes(RouteMessage.RTA_DST, destination.address().getAddress()));
        }
        r.gateway().ifPresent(g -> attributes.add(NetlinkAttribute.ofBytes(RouteMessage.RTA_GATEWAY, g.getAddress())));
        if (r.outputLinkIndex() > 0) {
            attributes.add(NetlinkAttribute.ofU32(RouteMessage.RTA_OIF, r.outputLinkIndex()));
        }
        r.source().ifPresent(s -> attributes.add(NetlinkAttribute.ofBytes(RouteMessage.RTA_PREFSRC, s.getAddress())));
        attributes.add(NetlinkAttribute.ofU32(RouteMessage.RTA_PRIORITY, r.metric()));
        attributes.add(NetlinkAttribute.ofU32(RouteMessage.RTA_TABLE, r.table()));
        int headerTable = r.table() < 256 ? r.table() : RouteMessage.RT_TABLE_UNSPEC;
        return new RouteMessage(family(destination.address()), destination.length(), 0, 0, headerTable, r.protocol(),
                r.scope(), type, 0, attributes);
    }

    private static int family(InetAddress a) {
        return a instanceof Inet4Address ? AF_INET : AF_INET6;
    }

    // ---- decoding into statuses ----

    static LinkStatus toLinkStatus(LinkMessage m) {
        List<NetlinkAttribute> a = m.attributes();
        String kind = "";
        int vlanId = 0;
        Optional<NetlinkAttribute> linkInfo = NetlinkAttribute.find(a, LinkMessage.IFLA_LINKINFO);
        if (linkInfo.isPresent()) {
            List<NetlinkAttribute> info = linkInfo.get().asNested();
            kind = NetlinkAttribute.find(info, LinkMessage.IFLA_INFO_KIND).map(NetlinkAttribute::asString).orElse("");
            if (kind.equals("vlan")) {
                vlanId = NetlinkAttribute.find(info, LinkMessage.IFLA_INFO_DATA)
                        .flatMap(d -> NetlinkAttribute.find(d.asNested(), LinkMessage.IFLA_VLAN_ID))
                        .map(NetlinkAttribute::asInt).orElse(0);
            }
        }
        return new LinkStatus(m.index(),
                NetlinkAttribute.find(a, LinkMessage.IFLA_IFNAME).map(NetlinkAttribute::asString).orElse(""),
                kind, m.deviceType(), (m.flags() & LinkMessage.IFF_UP) != 0, (m.flags() & LinkMessage.IFF_LOWER_UP) != 0,
                OperState.ofKernel(NetlinkAttribute.find(a, LinkMessage.IFLA_OPERSTATE).map(NetlinkAttribute::asInt).orElse(0)),
                NetlinkAttribute.find(a, LinkMessage.IFLA_MTU).map(NetlinkAttribute::asInt).orElse(0),
                NetlinkAttribute.find(a, LinkMessage.IFLA_ADDRESS).map(x -> formatMac(x.value())).orElse(""),
                NetlinkAttribute.find(a, LinkMessage.IFLA_MASTER).map(NetlinkAttribute::asInt).orElse(0),
                NetlinkAttribute.find(a, LinkMessage.IFLA_LINK).map(NetlinkAttribute::asInt).orElse(0),
                vlanId);
    }

    static Optional<AddressStatus> toAddressStatus(AddressMessage m) {
        List<NetlinkAttribute> a = m.attributes();
        Optional<NetlinkAttribute> local = NetlinkAttribute.find(a, AddressMessage.IFA_LOCAL)
                .or(() -> NetlinkAttribute.find(a, AddressMessage.IFA_ADDRESS));
        if (local.isEmpty()) {
            return Optional.empty();
        }
        Optional<InetAddress> address = ip(local.get().value());
        if (address.isEmpty()) {
            return Optional.empty();
        }
        int flags = NetlinkAttribute.find(a, AddressMessage.IFA_FLAGS).map(NetlinkAttribute::asInt).orElse(m.flags());
        String label = NetlinkAttribute.find(a, AddressMessage.IFA_LABEL).map(NetlinkAttribute::asString).orElse("");
        int max = address.get() instanceof Inet4Address ? 32 : 128;
        return Optional.of(new AddressStatus(m.index(), new IpPrefix(address.get(), Math.min(max, m.prefixLength())),
                m.scope(), flags, label));
    }

    static Optional<RouteStatus> toRouteStatus(RouteMessage m) {
        if (m.family() != AF_INET && m.family() != AF_INET6) {
            return Optional.empty();
        }
        List<NetlinkAttribute> a = m.attributes();
        byte[] zero = new byte[m.family() == AF_INET ? 4 : 16];
        InetAddress destination = NetlinkAttribute.find(a, RouteMessage.RTA_DST).flatMap(x -> ip(x.value()))
                .orElseGet(() -> ip(zero).orElseThrow());
        if (destination.getAddress().length != zero.length || m.destinationLength() > zero.length * 8) {
            return Optional.empty();
        }
        return Optional.of(new RouteStatus(m.effectiveTable(), new IpPrefix(destination, m.destinationLength()),
                NetlinkAttribute.find(a, RouteMessage.RTA_GATEWAY).flatMap(x -> ip(x.value())),
                NetlinkAttribute.find(a, RouteMessage.RTA_OIF).map(NetlinkAttribute::asInt).orElse(0),
                NetlinkAttribute.find(a, RouteMessage.RTA_PREFSRC).flatMap(x -> ip(x.value())),
                NetlinkAttribute.find(a, RouteMessage.RTA_PRIORITY).map(NetlinkAttribute::asInt).orElse(0),
                m.protocol(), m.scope(), m.type()));
    }

    static Optional<NeighbourStatus> toNeighbourStatus(NeighbourMessage m) {
        Optional<InetAddress> address = NetlinkAttribute.find(m.attributes(), NeighbourMessage.NDA_DST).flatMap(x -> ip(x.value()));
        if (address.isEmpty()) {
            return Optional.empty();
        }
        String mac = NetlinkAttribute.find(m.attributes(), NeighbourMessage.NDA_LLADDR).map(x -> formatMac(x.value())).orElse("");
        return Optional.of(new NeighbourStatus(m.index(), address.get(), mac, m.state()));
    }

    private static Optional<InetAddress> ip(byte[] raw) {
        if (raw.length != 4 && raw.length != 16) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(raw));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Lower-case, colon-separated hex, as {@code ip} prints hardware addresses. */
    public static String formatMac(byte[] mac) {
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }

    // ---- request/reply ----

    private List<NetlinkMessage> dump(int type, byte[] body) throws IOException {
        lock.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                int seq = nextSequence();
                socket.send(new NetlinkMessage(type, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_DUMP, seq, 0, body).encode());
                List<NetlinkMessage> out = new ArrayList<>();
                boolean interrupted = false;
                while (true) {
                    NetlinkMessage m = nextReply(seq, "dump of message type " + type);
                    interrupted |= (m.flags() & NetlinkMessage.NLM_F_DUMP_INTR) != 0;
                    if (m.type() == NetlinkMessage.NLMSG_DONE) {
                        break;
                    }
                    if (m.type() == NetlinkMessage.NLMSG_ERROR) {
                        ErrorMessage e = ErrorMessage.decode(m);
                        if (e.error() != 0) {
                            throw new RtnetlinkException("dump of message type " + type, -e.error(), e.kernelMessage());
                        }
                        break;
                    }
                    out.add(m);
                }
                // The kernel flags a dump that raced with a change; the only consistent answer is a fresh dump.
                if (!interrupted || attempt == DUMP_ATTEMPTS) {
                    return out;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void request(String operation, int type, int extraFlags, byte[] body) throws IOException {
        lock.lock();
        try {
            int seq = nextSequence();
            socket.send(new NetlinkMessage(type, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK | extraFlags, seq, 0, body).encode());
            while (true) {
                NetlinkMessage m = nextReply(seq, operation);
                if (m.type() == NetlinkMessage.NLMSG_ERROR) {
                    ErrorMessage e = ErrorMessage.decode(m);
                    if (e.error() != 0) {
                        throw new RtnetlinkException(operation, -e.error(), e.kernelMessage());
                    }
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private final List<NetlinkMessage> pending = new ArrayList<>();

    private NetlinkMessage nextReply(int seq, String operation) throws IOException {
        long deadline = System.nanoTime() + REPLY_TIMEOUT.toNanos();
        while (true) {
            while (!pending.isEmpty()) {
                NetlinkMessage m = pending.removeFirst();
                if (m.sequence() == seq) {
                    return m;
                }
                // Replies to an earlier request that timed out; drop them.
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException(operation + ": no reply from the kernel within " + REPLY_TIMEOUT.toSeconds() + " s");
            }
            Optional<byte[]> datagram = socket.receive(Duration.ofNanos(left));
            if (datagram.isPresent()) {
                pending.addAll(NetlinkMessage.decodeAll(datagram.get()));
            }
        }
    }

    private int nextSequence() {
        sequence = (sequence + 1) & 0x7fffffff;
        return sequence;
    }

    @Override
    public void close() {
        socket.close();
    }
}
