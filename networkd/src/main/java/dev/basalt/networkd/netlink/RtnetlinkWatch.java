package dev.basalt.networkd.netlink;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Watches link, address and route changes: a netlink socket subscribed to the rtnetlink multicast groups, decoded
 * into {@link RtnetlinkEvent}s.
 *
 * <p>Owns its socket. One thread calls {@link #next}; {@link #close()} may be called from any thread.
 */
public final class RtnetlinkWatch implements AutoCloseable {
    /** Links, IPv4/IPv6 addresses and routes. */
    public static final int GROUPS = NetlinkMessage.RTMGRP_LINK | NetlinkMessage.RTMGRP_IPV4_IFADDR
            | NetlinkMessage.RTMGRP_IPV4_ROUTE | NetlinkMessage.RTMGRP_IPV6_IFADDR | NetlinkMessage.RTMGRP_IPV6_ROUTE;

    private final NetlinkSocket socket;

    public RtnetlinkWatch(NetlinkSocket socket) {
        this.socket = socket;
    }

    public static RtnetlinkWatch open(NetlinkSocket.Factory factory) throws IOException {
        return new RtnetlinkWatch(factory.open(GROUPS));
    }

    /**
     * Waits up to {@code timeout} for the next datagram and returns its events (empty on timeout). A malformed
     * datagram yields one {@link RtnetlinkEvent.Resync} instead of an exception: a watcher must not die of it.
     */
    public List<RtnetlinkEvent> next(Duration timeout) throws IOException {
        Optional<byte[]> datagram;
        try {
            datagram = socket.receive(timeout);
        } catch (NetlinkOverrunException e) {
            return List.of(new RtnetlinkEvent.Resync("receive buffer overrun: " + e.getMessage()));
        }
        if (datagram.isEmpty()) {
            return List.of();
        }
        return decode(datagram.get());
    }

    /** Decodes one multicast datagram into events. */
    static List<RtnetlinkEvent> decode(byte[] datagram) {
        List<RtnetlinkEvent> out = new ArrayList<>();
        try {
            for (NetlinkMessage m : NetlinkMessage.decodeAll(datagram)) {
                switch (m.type()) {
                    case NetlinkMessage.RTM_NEWLINK -> out.add(new RtnetlinkEvent.LinkChanged(Rtnetlink.toLinkStatus(LinkMessage.decode(m.body()))));
                    case NetlinkMessage.RTM_DELLINK -> out.add(new RtnetlinkEvent.LinkRemoved(Rtnetlink.toLinkStatus(LinkMessage.decode(m.body()))));
                    case NetlinkMessage.RTM_NEWADDR -> Rtnetlink.toAddressStatus(AddressMessage.decode(m.body()))
                            .ifPresent(a -> out.add(new RtnetlinkEvent.AddressAdded(a)));
                    case NetlinkMessage.RTM_DELADDR -> Rtnetlink.toAddressStatus(AddressMessage.decode(m.body()))
                            .ifPresent(a -> out.add(new RtnetlinkEvent.AddressRemoved(a)));
                    case NetlinkMessage.RTM_NEWROUTE -> Rtnetlink.toRouteStatus(RouteMessage.decode(m.body()))
                            .ifPresent(r -> out.add(new RtnetlinkEvent.RouteAdded(r)));
                    case NetlinkMessage.RTM_DELROUTE -> Rtnetlink.toRouteStatus(RouteMessage.decode(m.body()))
                            .ifPresent(r -> out.add(new RtnetlinkEvent.RouteRemoved(r)));
                    case NetlinkMessage.NLMSG_OVERRUN -> out.add(new RtnetlinkEvent.Resync("kernel reported overrun"));
                    default -> {
                        // Neighbour and other groups we did not ask for: nothing to report.
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            out.add(new RtnetlinkEvent.Resync("malformed rtnetlink datagram: " + e.getMessage()));
        }
        return out;
    }

    @Override
    public void close() {
        socket.close();
    }
}
