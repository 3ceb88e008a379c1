package dev.basalt.networkd.resource;

/**
 * What the kernel reports about one link (resource {@code links}).
 *
 * @param index             interface index
 * @param name              interface name, e.g. {@code eth0}
 * @param kind              link kind from {@code IFLA_INFO_KIND} ({@code vlan}, {@code bond}, {@code veth}...), empty
 *                          for plain devices
 * @param deviceType        ARPHRD type (1 = Ethernet, 772 = loopback)
 * @param administrativelyUp {@code IFF_UP}
 * @param carrier           {@code IFF_LOWER_UP}
 * @param operState         operational state
 * @param mtu               MTU in bytes
 * @param hardwareAddress   lower-case colon-separated hardware address, empty when none
 * @param masterIndex       index of the bond/bridge this link is enslaved to, 0 when none
 * @param parentIndex       index of the lower link ({@code IFLA_LINK}, a VLAN's parent), 0 when none
 * @param vlanId            VLAN id for {@code vlan} links, 0 otherwise
 */
public record LinkStatus(int index, String name, String kind, int deviceType, boolean administrativelyUp, boolean carrier,
                         OperState operState, int mtu, String hardwareAddress, int masterIndex, int parentIndex, int vlanId) {
}
