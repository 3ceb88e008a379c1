package dev.basalt.networkd.vip;

import dev.basalt.networkd.packet.MalformedPacketException;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An Ethernet/IPv4 ARP packet (RFC 826), 28 bytes, with its codec. A gratuitous ARP (RFC 5227 §3 "ARP
 * Announcement") is a request whose sender and target protocol addresses are both the announced address.
 *
 * <p>Immutable and thread-safe.
 */
public record ArpPacket(int operation, byte[] senderMac, Inet4Address senderIp, byte[] targetMac, Inet4Address targetIp) {
    public static final int REQUEST = 1;
    public static final int REPLY = 2;
    public static final int ETHER_TYPE = 0x0806;
    private static final int SIZE = 28;

    public ArpPacket {
        if (operation != REQUEST && operation != REPLY) {
            throw new IllegalArgumentException("ARP operation must be 1 (request) or 2 (reply), got " + operation);
        }
        if (senderMac.length != 6 || targetMac.length != 6) {
            throw new IllegalArgumentException("ARP hardware addresses must be 6 bytes, got " + senderMac.length
                    + " and " + targetMac.length);
        }
        senderMac = senderMac.clone();
        targetMac = targetMac.clone();
    }

    @Override
    public byte[] senderMac() {
        return senderMac.clone();
    }

    @Override
    public byte[] targetMac() {
        return targetMac.clone();
    }

    /** The announcement that {@code address} is now at {@code mac}. */
    public static ArpPacket announcement(byte[] mac, Inet4Address address) {
        return new ArpPacket(REQUEST, mac, address, new byte[6], address);
    }

    public byte[] encode() {
        return ByteBuffer.allocate(SIZE).putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4)
                .putShort((short) operation).put(senderMac).put(senderIp.getAddress()).put(targetMac).put(targetIp.getAddress())
                .array();
    }

    public static ArpPacket decode(byte[] data) {
        if (data.length < SIZE) {
            throw new MalformedPacketException("ARP packet is " + data.length + " bytes; expected at least 28");
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        int htype = Short.toUnsignedInt(b.getShort());
        int ptype = Short.toUnsignedInt(b.getShort());
        int hlen = b.get() & 0xff;
        int plen = b.get() & 0xff;
        if (htype != 1 || ptype != 0x0800 || hlen != 6 || plen != 4) {
            throw new MalformedPacketException("ARP packet is for htype " + htype + ", ptype 0x" + Integer.toHexString(ptype)
                    + ", hlen " + hlen + ", plen " + plen + "; expected Ethernet/IPv4 (1, 0x800, 6, 4)");
        }
        int op = Short.toUnsignedInt(b.getShort());
        if (op != REQUEST && op != REPLY) {
            throw new MalformedPacketException("ARP operation is " + op + "; expected 1 or 2");
        }
        byte[] sha = Arrays.copyOfRange(data, 8, 14);
        byte[] spa = Arrays.copyOfRange(data, 14, 18);
        byte[] tha = Arrays.copyOfRange(data, 18, 24);
        byte[] tpa = Arrays.copyOfRange(data, 24, 28);
        return new ArpPacket(op, sha, v4(spa), tha, v4(tpa));
    }

    private static Inet4Address v4(byte[] raw) {
        try {
            return (Inet4Address) InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArpPacket p && operation == p.operation && Arrays.equals(senderMac, p.senderMac)
                && senderIp.equals(p.senderIp) && Arrays.equals(targetMac, p.targetMac) && targetIp.equals(p.targetIp);
    }

    @Override
    public int hashCode() {
        return operation * 31 + senderIp.hashCode();
    }
}
