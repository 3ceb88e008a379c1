package dev.basalt.machinery.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Strict parsing of IP address and CIDR literals, never touching DNS: dotted-quad IPv4 (four decimal octets, no
 * leading zeros), and IPv6 in any RFC 4291 text form (without a zone).
 *
 * <p>Stateless; thread-safe.
 */
public final class IpLiterals {

    private IpLiterals() {
    }

    /** An address and prefix length, as written in a CIDR such as {@code 10.5.0.0/16}. */
    public record Prefix(InetAddress address, int bits) {
        public boolean isIpv6() {
            return address instanceof Inet6Address;
        }
    }

    /** Parses an IP address literal; empty if it is not one. */
    public static Optional<InetAddress> address(String text) {
        if (text == null || text.isEmpty() || text.indexOf('%') >= 0) {
            return Optional.empty();
        }
        if (text.indexOf(':') >= 0) {
            try {
                return Optional.of(Inet6Address.ofLiteral(text));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return Optional.empty();
            }
            for (int c = 0; c < part.length(); c++) {
                if (part.charAt(c) < '0' || part.charAt(c) > '9') {
                    return Optional.empty();
                }
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) octet;
        }
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (java.net.UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Parses {@code ADDRESS/BITS}; empty if it is not a CIDR (a bare address is not one). */
    public static Optional<Prefix> cidr(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/')) {
            return Optional.empty();
        }
        Optional<InetAddress> address = address(text.substring(0, slash));
        String bitsText = text.substring(slash + 1);
        if (address.isEmpty() || bitsText.isEmpty() || bitsText.length() > 3 || !bitsText.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        int bits = Integer.parseInt(bitsText);
        int max = address.get() instanceof Inet6Address ? 128 : 32;
        if (bits > max) {
            return Optional.empty();
        }
        return Optional.of(new Prefix(address.get(), bits));
    }

    /** An address with or without a prefix length; a bare address gets the full-length prefix. */
    public static Optional<Prefix> addressOrCidr(String text) {
        if (text != null && text.indexOf('/') >= 0) {
            return cidr(text);
        }
        return address(text).map(a -> new Prefix(a, a instanceof Inet6Address ? 128 : 32));
    }
}
