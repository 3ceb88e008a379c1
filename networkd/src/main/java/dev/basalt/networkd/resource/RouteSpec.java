package dev.basalt.networkd.resource;

import java.net.InetAddress;
import java.util.Optional;

/**
 * A route networkd wants.
 *
 * @param linkName    output interface name
 * @param destination destination prefix ({@code 0.0.0.0/0} for default)
 * @param gateway     next hop; absent for an on-link route
 * @param source      preferred source address; absent to let the kernel choose
 * @param metric      priority; lower wins (Talos uses 1024 by default)
 * @param table       routing table, 254 (main) by default
 * @param layer       where this want came from
 */
public record RouteSpec(String linkName, IpPrefix destination, Optional<InetAddress> gateway, Optional<InetAddress> source,
                        int metric, int table, ConfigLayer layer) {
    public static final int DEFAULT_METRIC = 1024;
    public static final int MAIN_TABLE = 254;

    public RouteSpec {
        if (metric < 0) {
            throw new IllegalArgumentException("route metric for " + destination + " must be >= 0, got " + metric);
        }
        if (table < 1 || table == 255) {
            throw new IllegalArgumentException("route table for " + destination + " must be >= 1 and not 255 (local), got " + table);
        }
    }
}
