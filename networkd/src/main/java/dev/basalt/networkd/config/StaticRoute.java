package dev.basalt.networkd.config;

import dev.basalt.networkd.resource.IpPrefix;
import dev.basalt.networkd.resource.RouteSpec;

import java.net.InetAddress;
import java.util.Optional;

/**
 * A static route of one interface; machine config YAML {@code routes: [{network, gateway, source, metric, table}]}.
 *
 * @param network destination, {@code 0.0.0.0/0} for default
 * @param gateway next hop; absent for on-link
 * @param source  preferred source
 * @param metric  priority, default {@value RouteSpec#DEFAULT_METRIC}
 * @param table   routing table, default {@value RouteSpec#MAIN_TABLE}
 */
public record StaticRoute(IpPrefix network, Optional<InetAddress> gateway, Optional<InetAddress> source, int metric, int table) {
    public static StaticRoute of(IpPrefix network, InetAddress gateway) {
        return new StaticRoute(network, Optional.of(gateway), Optional.empty(), RouteSpec.DEFAULT_METRIC, RouteSpec.MAIN_TABLE);
    }
}
