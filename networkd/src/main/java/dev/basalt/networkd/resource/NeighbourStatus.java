package dev.basalt.networkd.resource;

import java.net.InetAddress;

/**
 * One neighbour (ARP/NDP) entry.
 *
 * @param linkIndex       interface index
 * @param address         the neighbour's IP address
 * @param hardwareAddress lower-case colon-separated hardware address, empty when unresolved
 * @param state           {@code NUD_*} bits (0x02 reachable, 0x04 stale, 0x20 failed, 0x80 permanent)
 */
public record NeighbourStatus(int linkIndex, InetAddress address, String hardwareAddress, int state) {
}
