package dev.basalt.networkd.packet;

/**
 * A received packet (IPv4/UDP, DHCP, ARP, NTP) does not have the shape its format requires; the message names the
 * field, the value found and what was expected. Callers drop such packets and carry on.
 */
public final class MalformedPacketException extends IllegalArgumentException {
    public MalformedPacketException(String message) {
        super(message);
    }
}
