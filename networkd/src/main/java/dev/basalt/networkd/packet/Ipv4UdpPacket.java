package dev.basalt.networkd.packet;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A UDP datagram in an IPv4 packet without options, as the DHCP client sends and receives it on a packet socket
 * (RFC 791 header, RFC 768 UDP header with the pseudo-header checksum).
 *
 * <p>Immutable and thread-safe.
 */
public record Ipv4UdpPacket(Inet4Address source, Inet4Address destination, int sourcePort, int destinationPort, byte[] payload) {
    private static final int IP_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int PROTOCOL_UDP = 17;
    private static final int DEFAULT_TTL = 64;

    public Ipv4UdpPacket {
        if (sourcePort < 0 || sourcePort > 0xffff || destinationPort < 0 || destinationPort > 0xffff) {
            throw new IllegalArgumentException("UDP ports must be 0..65535, got " + sourcePort + " and " + destinationPort);
        }
        if (payload.length > 0xffff - IP_HEADER - UDP_HEADER) {
            throw new IllegalArgumentException("UDP payload of " + payload.length + " bytes does not fit an IPv4 packet");
        }
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public byte[] encode() {
        int total = IP_HEADER + UDP_HEADER + payload.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.put((byte) 0x45).put((byte) 0x10).putShort((short) total).putShort((short) 0).putShort((short) 0x4000) // DF
                .put((byte) DEFAULT_TTL).put((byte) PROTOCOL_UDP).putShort((short) 0)
                .put(source.getAddress()).put(destination.getAddress());
        b.putShort(10, (short) checksum(b.array(), 0, IP_HEADER, 0));
        b.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) (UDP_HEADER + payload.length))
                .putShort((short) 0).put(payload);
        int udp = checksum(b.array(), IP_HEADER, UDP_HEADER + payload.length, pseudoHeaderSum(UDP_HEADER + payload.length));
        b.putShort(IP_HEADER + 6, (short) (udp == 0 ? 0xffff : udp));
        return b.array();
    }

    private long pseudoHeaderSum(int udpLength) {
        byte[] s = source.getAddress();
        byte[] d = destination.getAddress();
        return word(s, 0) + word(s, 2) + word(d, 0) + word(d, 2) + PROTOCOL_UDP + udpLength;
    }

    private static long word(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    /** RFC 1071 Internet checksum of {@code length} bytes at {@code offset}, starting from {@code initial}. */
    static int checksum(byte[] data, int offset, int length, long initial) {
        long sum = initial;
        int i = offset;
        for (; i + 1 < offset + length; i += 2) {
            sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
        }
        if (i < offset + length) {
            sum += (data[i] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /**
     * Decodes an IPv4 packet carrying UDP. Fragments, other protocols and bad checksums are errors: the DHCP client
     * has no use for them.
     */
    public static Ipv4UdpPacket decode(byte[] packet) {
        if (packet.length < IP_HEADER + UDP_HEADER) {
            throw new MalformedPacketException("IPv4/UDP packet is " + packet.length + " bytes; expected at least 28");
        }
        int version = (packet[0] & 0xff) >> 4;
        int headerLength = (packet[0] & 0x0f) * 4;
        if (version != 4 || headerLength < IP_HEADER) {
            throw new MalformedPacketException("IP version/IHL byte is 0x" + Integer.toHexString(packet[0] & 0xff)
                    + "; expected version 4 with a header of at least 20 bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(packet);
        int total = Short.toUnsignedInt(b.getShort(2));
        if (total < headerLength + UDP_HEADER || total > packet.length) {
            throw new MalformedPacketException("IPv4 total length " + total + " does not fit the " + packet.length
                    + "-byte packet with a " + headerLength + "-byte header");
        }
        int fragment = Short.toUnsignedInt(b.getShort(6));
        if ((fragment & 0x3fff) != 0) {
            throw new MalformedPacketException("IPv4 packet is a fragment (flags/offset 0x" + Integer.toHexString(fragment) + ")");
        }
        if ((packet[9] & 0xff) != PROTOCOL_UDP) {
            throw new MalformedPacketException("IPv4 protocol is " + (packet[9] & 0xff) + "; expected 17 (UDP)");
        }
        if (checksum(packet, 0, headerLength, 0) != 0) {
            throw new MalformedPacketException("IPv4 header checksum does not verify");
        }
        Inet4Address source = v4(Arrays.copyOfRange(packet, 12, 16));
        Inet4Address destination = v4(Arrays.copyOfRange(packet, 16, 20));
        int udpLength = Short.toUnsignedInt(b.getShort(headerLength + 4));
        if (udpLength < UDP_HEADER || headerLength + udpLength > total) {
            throw new MalformedPacketException("UDP length " + udpLength + " does not fit the IPv4 payload of "
                    + (total - headerLength) + " bytes");
        }
        return new Ipv4UdpPacket(source, destination, Short.toUnsignedInt(b.getShort(headerLength)),
                Short.toUnsignedInt(b.getShort(headerLength + 2)),
                Arrays.copyOfRange(packet, headerLength + UDP_HEADER, headerLength + udpLength));
    }

    static Inet4Address v4(byte[] raw) {
        try {
            return (Inet4Address) InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4UdpPacket p && source.equals(p.source) && destination.equals(p.destination)
                && sourcePort == p.sourcePort && destinationPort == p.destinationPort && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return source.hashCode() * 31 + Arrays.hashCode(payload);
    }
}
