package dev.basalt.networkd.resource;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IP address with a prefix length, {@code 192.0.2.10/24} or {@code 2001:db8::1/64}. The address keeps its host
 * bits (an interface address is a prefix too). Immutable and thread-safe.
 */
public record IpPrefix(InetAddress address, int length) {
    public IpPrefix {
        int max = address instanceof Inet4Address ? 32 : 128;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length of " + address.getHostAddress() + " must be 0.." + max
                    + ", got " + length);
        }
    }

    /** Parses {@code ADDRESS/LENGTH}; a bare address gets the full length (/32 or /128). Never resolves names. */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = parseAddress(host);
        int max = address instanceof Inet4Address ? 32 : 128;
        if (slash < 0) {
            return new IpPrefix(address, max);
        }
        String len = text.substring(slash + 1);
        try {
            return new IpPrefix(address, Integer.parseInt(len));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("prefix length in '" + text + "' must be a number 0.." + max + ", got '" + len + "'");
        }
    }

    /** Parses a literal IPv4 or IPv6 address; rejects anything that would need a name lookup. */
    public static InetAddress parseAddress(String text) {
        boolean v4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = text.contains(":") && text.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 address literal");
        }
        if (v4) {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException("'" + text + "' is not an IPv4 address: octet " + part + " exceeds 255");
                }
            }
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address literal: " + e.getMessage());
        }
    }

    public static IpPrefix of(InetAddress address, int length) {
        return new IpPrefix(address, length);
    }

    /** The default route's destination for {@code address}'s family. */
    public static IpPrefix defaultFor(InetAddress address) {
        try {
            return new IpPrefix(InetAddress.getByAddress(new byte[address.getAddress().length]), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    /** The network part: host bits cleared. */
    public IpPrefix network() {
        byte[] bytes = address.getAddress();
        for (int bit = length; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return new IpPrefix(InetAddress.getByAddress(bytes), length);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code other} lies inside this prefix. */
    public boolean contains(InetAddress other) {
        if (other.getAddress().length != address.getAddress().length) {
            return false;
        }
        return new IpPrefix(other, length).network().equals(network());
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }
}
