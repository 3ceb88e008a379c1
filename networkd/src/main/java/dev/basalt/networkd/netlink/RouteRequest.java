package dev.basalt.networkd.netlink;

import dev.basalt.networkd.resource.IpPrefix;

import java.net.InetAddress;
import java.util.Optional;

/**
 * A route to add or delete, with the interface already resolved to an index.
 *
 * @param destination     destination prefix
 * @param gateway         next hop; absent for an on-link route
 * @param outputLinkIndex output interface, 0 to let the kernel find it from the gateway
 * @param source          preferred source address ({@code RTA_PREFSRC})
 * @param metric          priority
 * @param table           routing table (1..2^32-1, not 255)
 * @param protocol        {@code RTPROT_*} recorded with the route (4 static, 16 dhcp)
 */
public record RouteRequest(IpPrefix destination, Optional<InetAddress> gateway, int outputLinkIndex,
                           Optional<InetAddress> source, int metric, int table, int protocol) {
    public RouteRequest {
        gateway.ifPresent(g -> {
            if (g.getAddress().length != destination.address().getAddress().length) {
                throw new IllegalArgumentException("gateway " + g.getHostAddress() + " is not of the same family as "
                        + destination);
            }
        });
    }

    /** Scope the kernel expects: universe through a gateway, link for an on-link route. */
    int scope() {
        return gateway.isPresent() ? RouteMessage.RT_SCOPE_UNIVERSE : RouteMessage.RT_SCOPE_LINK;
    }
}
