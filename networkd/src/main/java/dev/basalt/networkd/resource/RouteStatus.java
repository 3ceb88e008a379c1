package dev.basalt.networkd.resource;

import java.net.InetAddress;
import java.util.Optional;

/**
 * One route the kernel holds (resource {@code routes}).
 *
 * @param table           routing table (254 main, 255 local)
 * @param destination     destination prefix ({@code 0.0.0.0/0} for a default route)
 * @param gateway         next hop, absent for on-link routes
 * @param outputLinkIndex output interface index, 0 when none
 * @param preferredSource preferred source address ({@code RTA_PREFSRC}), absent when none
 * @param metric          priority ({@code RTA_PRIORITY}); lower wins
 * @param protocol        {@code RTPROT_*} (2 kernel, 3 boot, 4 static, 16 dhcp)
 * @param scope           {@code RT_SCOPE_*}
 * @param type            {@code RTN_*} (1 unicast, 2 local, 3 broadcast)
 */
public record RouteStatus(int table, IpPrefix destination, Optional<InetAddress> gateway, int outputLinkIndex,
                          Optional<InetAddress> preferredSource, int metric, int protocol, int scope, int type) {
}
