package dev.basalt.networkd.dhcp;

import dev.basalt.networkd.packet.MalformedPacketException;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A BOOTP/DHCP message (RFC 2131 §2 fixed part, RFC 2132 options after the magic cookie), with its codec.
 *
 * <p>Options are kept in order, one entry per code (repeated codes are joined on decode, RFC 3396). Option overload
 * (52) is honoured on decode: options found in {@code file} and {@code sname} are appended. Immutable and thread-safe.
 */
public record DhcpMessage(int op, int xid, int secs, int flags, Inet4Address clientAddress, Inet4Address yourAddress,
                          Inet4Address serverAddress, Inet4Address relayAddress, byte[] clientHardwareAddress,
                          List<DhcpOption> options) {
    public static final int BOOTREQUEST = 1;
    public static final int BOOTREPLY = 2;
    public static final int FLAG_BROADCAST = 0x8000;
    private static final int FIXED = 236;
    private static final byte[] MAGIC = {99, (byte) 130, 83, 99};
    public static final Inet4Address ANY = v4(new byte[4]);
    public static final Inet4Address BROADCAST = v4(new byte[] {-1, -1, -1, -1});

    public DhcpMessage {
        if (op != BOOTREQUEST && op != BOOTREPLY) {
            throw new IllegalArgumentException("BOOTP op must be 1 (request) or 2 (reply), got " + op);
        }
        if (clientHardwareAddress.length > 16) {
            throw new IllegalArgumentException("chaddr holds at most 16 bytes, got " + clientHardwareAddress.length);
        }
        if (secs < 0 || secs > 0xffff || flags < 0 || flags > 0xffff) {
            throw new IllegalArgumentException("secs and flags are 16-bit, got " + secs + " and " + flags);
        }
        clientHardwareAddress = clientHardwareAddress.clone();
        options = List.copyOf(options);
    }

    @Override
    public byte[] clientHardwareAddress() {
        return clientHardwareAddress.clone();
    }

    public Optional<DhcpOption> option(int code) {
        return options.stream().filter(o -> o.code() == code).findFirst();
    }

    /** The message type (option 53), or an error naming its absence. */
    public DhcpMessageType type() {
        DhcpOption t = option(DhcpOption.MESSAGE_TYPE)
                .orElseThrow(() -> new MalformedPacketException("DHCP message has no message type (option 53)"));
        if (t.value().length != 1) {
            throw new MalformedPacketException("DHCP option 53 is " + t.value().length + " bytes; expected 1");
        }
        return DhcpMessageType.of(t.value()[0] & 0xff);
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(FIXED);
        b.put((byte) op).put((byte) 1).put((byte) clientHardwareAddress.length).put((byte) 0)
                .putInt(xid).putShort((short) secs).putShort((short) flags)
                .put(clientAddress.getAddress()).put(yourAddress.getAddress()).put(serverAddress.getAddress())
                .put(relayAddress.getAddress()).put(clientHardwareAddress);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(b.array());
        out.writeBytes(MAGIC);
        for (DhcpOption o : options) {
            byte[] v = o.value();
            int offset = 0;
            do {
                int n = Math.min(255, v.length - offset);
                out.write(o.code());
                out.write(n);
                out.write(v, offset, n);
                offset += n;
            } while (offset < v.length);
        }
        out.write(255);
        // Pad to the 300-byte BOOTP minimum; some relays and servers drop shorter messages.
        while (out.size() < 300) {
            out.write(0);
        }
        return out.toByteArray();
    }

    public static DhcpMessage decode(byte[] data) {
        if (data.length < FIXED + MAGIC.length) {
            throw new MalformedPacketException("DHCP message is " + data.length + " bytes; expected at least 240");
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        int op = data[0] & 0xff;
        if (op != BOOTREQUEST && op != BOOTREPLY) {
            throw new MalformedPacketException("BOOTP op is " + op + "; expected 1 or 2");
        }
        int hlen = data[2] & 0xff;
        if (hlen > 16) {
            throw new MalformedPacketException("BOOTP hlen is " + hlen + "; expected at most 16");
        }
        int xid = b.getInt(4);
        int secs = Short.toUnsignedInt(b.getShort(8));
        int flags = Short.toUnsignedInt(b.getShort(10));
        Inet4Address ciaddr = v4(Arrays.copyOfRange(data, 12, 16));
        Inet4Address yiaddr = v4(Arrays.copyOfRange(data, 16, 20));
        Inet4Address siaddr = v4(Arrays.copyOfRange(data, 20, 24));
        Inet4Address giaddr = v4(Arrays.copyOfRange(data, 24, 28));
        byte[] chaddr = Arrays.copyOfRange(data, 28, 28 + hlen);
        if (!Arrays.equals(data, FIXED, FIXED + 4, MAGIC, 0, 4)) {
            throw new MalformedPacketException("DHCP magic cookie is " + java.util.HexFormat.of().formatHex(data, FIXED, FIXED + 4)
                    + "; expected 63825363");
        }
        Map<Integer, ByteArrayOutputStream> joined = new LinkedHashMap<>();
        readOptions(data, FIXED + 4, data.length, joined, "options");
        int overload = Optional.ofNullable(joined.get(DhcpOption.OVERLOAD)).map(o -> o.toByteArray())
                .filter(v -> v.length == 1).map(v -> v[0] & 0xff).orElse(0);
        if ((overload & 1) != 0) {
            readOptions(data, 108, 236, joined, "file");
        }
        if ((overload & 2) != 0) {
            readOptions(data, 44, 108, joined, "sname");
        }
        List<DhcpOption> options = new ArrayList<>();
        joined.forEach((code, value) -> options.add(new DhcpOption(code, value.toByteArray())));
        return new DhcpMessage(op, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr, chaddr, options);
    }

    private static void readOptions(byte[] data, int from, int to, Map<Integer, ByteArrayOutputStream> out, String field) {
        int i = from;
        while (i < to) {
            int code = data[i] & 0xff;
            if (code == 0) {
                i++;
                continue;
            }
            if (code == 255) {
                return;
            }
            if (i + 1 >= to) {
                throw new MalformedPacketException("DHCP option " + code + " at offset " + i + " in " + field + " has no length byte");
            }
            int length = data[i + 1] & 0xff;
            if (i + 2 + length > to) {
                throw new MalformedPacketException("DHCP option " + code + " at offset " + i + " in " + field
                        + " declares " + length + " bytes; only " + (to - i - 2) + " remain");
            }
            out.computeIfAbsent(code, c -> new ByteArrayOutputStream()).write(data, i + 2, length);
            i += 2 + length;
        }
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
        return o instanceof DhcpMessage m && op == m.op && xid == m.xid && secs == m.secs && flags == m.flags
                && clientAddress.equals(m.clientAddress) && yourAddress.equals(m.yourAddress)
                && serverAddress.equals(m.serverAddress) && relayAddress.equals(m.relayAddress)
                && Arrays.equals(clientHardwareAddress, m.clientHardwareAddress) && options.equals(m.options);
    }

    @Override
    public int hashCode() {
        return xid * 31 + options.hashCode();
    }
}
