package dev.basalt.networkd.config;

import java.net.Inet4Address;

/**
 * A shared layer-2 address one node at a time holds on this interface; YAML {@code vip: {ip: 192.0.2.100}}.
 *
 * @param address the shared IPv4 address
 */
public record VipConfig(Inet4Address address) {
}
