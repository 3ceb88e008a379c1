package dev.basalt.networkd.dhcp;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One DHCP option (RFC 2132): a code 1..254 and its value. A value longer than 255 bytes is split into several
 * options of the same code on the wire and joined again on receipt (RFC 3396).
 *
 * <p>Immutable and thread-safe.
 */
public record DhcpOption(int code, byte[] value) {
    public static final int SUBNET_MASK = 1;
    public static final int ROUTER = 3;
    public static final int DNS_SERVERS = 6;
    public static final int HOSTNAME = 12;
    public static final int DOMAIN_NAME = 15;
    public static final int INTERFACE_MTU = 26;
    public static final int BROADCAST = 28;
    public static final int NTP_SERVERS = 42;
    public static final int REQUESTED_ADDRESS = 50;
    public static final int LEASE_TIME = 51;
    public static final int OVERLOAD = 52;
    public static final int MESSAGE_TYPE = 53;
    public static final int SERVER_ID = 54;
    public static final int PARAMETER_REQUEST_LIST = 55;
    public static final int MESSAGE = 56;
    public static final int MAX_MESSAGE_SIZE = 57;
    public static final int RENEWAL_TIME = 58;
    public static final int REBINDING_TIME = 59;
    public static final int CLIENT_ID = 61;
    public static final int DOMAIN_SEARCH = 119;
    public static final int CLASSLESS_STATIC_ROUTES = 121;

    public DhcpOption {
        if (code < 1 || code > 254) {
            throw new IllegalArgumentException("DHCP option code must be 1..254 (0 is pad, 255 end), got " + code);
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    public static DhcpOption ofByte(int code, int value) {
        return new DhcpOption(code, new byte[] {(byte) value});
    }

    public static DhcpOption ofShort(int code, int value) {
        return new DhcpOption(code, new byte[] {(byte) (value >> 8), (byte) value});
    }

    public static DhcpOption ofInt(int code, int value) {
        return new DhcpOption(code, new byte[] {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value});
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhcpOption other && code == other.code && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return code * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "DhcpOption[" + code + "=" + HexFormat.of().formatHex(value) + "]";
    }
}
