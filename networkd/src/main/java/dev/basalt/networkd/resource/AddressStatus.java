package dev.basalt.networkd.resource;

/**
 * One address assigned to a link (resource {@code addresses}).
 *
 * @param linkIndex interface index
 * @param address   the local address and prefix length
 * @param scope     {@code RT_SCOPE_*} (0 global, 253 link, 254 host)
 * @param flags     {@code IFA_F_*} flags
 * @param label     the IPv4 label ({@code IFA_LABEL}), empty when none
 */
public record AddressStatus(int linkIndex, IpPrefix address, int scope, int flags, String label) {
}
