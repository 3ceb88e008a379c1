package dev.basalt.networkd.resource;

/**
 * An address networkd wants on a link.
 *
 * @param linkName interface name
 * @param address  address with prefix length
 * @param layer    where this want came from
 */
public record AddressSpec(String linkName, IpPrefix address, ConfigLayer layer) {
}
