package dev.basalt.networkd.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One netlink attribute ({@code struct nlattr} + value): a 16-bit type (with the {@code NLA_F_NESTED} and
 * {@code NLA_F_NET_BYTEORDER} bits kept as received) and an opaque value. Also owns the attribute-list codec: each
 * attribute is {@code len:u16 type:u16 value}, padded to 4 bytes, in host byte order
 * (<a href="https://docs.kernel.org/userspace-api/netlink/intro.html">kernel netlink intro</a>).
 *
 * <p>Immutable and thread-safe (the value is copied in and out).
 */
public record NetlinkAttribute(int type, byte[] value) {
    /** Marks an attribute whose value is itself an attribute list. */
    public static final int NLA_F_NESTED = 0x8000;
    private static final int NLA_TYPE_MASK = 0x3fff;
    private static final int HEADER = 4;
    static final ByteOrder ORDER = ByteOrder.nativeOrder();

    public NetlinkAttribute {
        if (type < 0 || type > 0xffff) {
            throw new IllegalArgumentException("netlink attribute type must be 0..65535, got " + type);
        }
        if (value.length > 0xffff - HEADER) {
            throw new IllegalArgumentException("netlink attribute " + type + " value of " + value.length
                    + " bytes exceeds the 65531-byte maximum");
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The type without the flag bits. */
    public int kind() {
        return type & NLA_TYPE_MASK;
    }

    public static NetlinkAttribute ofBytes(int type, byte[] value) {
        return new NetlinkAttribute(type, value);
    }

    /** A NUL-terminated string attribute. */
    public static NetlinkAttribute ofString(int type, String value) {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        return new NetlinkAttribute(type, Arrays.copyOf(text, text.length + 1));
    }

    public static NetlinkAttribute ofU8(int type, int value) {
        return new NetlinkAttribute(type, new byte[] {(byte) value});
    }

    public static NetlinkAttribute ofU16(int type, int value) {
        return new NetlinkAttribute(type, ByteBuffer.allocate(2).order(ORDER).putShort((short) value).array());
    }

    public static NetlinkAttribute ofU32(int type, int value) {
        return new NetlinkAttribute(type, ByteBuffer.allocate(4).order(ORDER).putInt(value).array());
    }

    /** An attribute whose value is the encoded list {@code children}; sets {@link #NLA_F_NESTED}. */
    public static NetlinkAttribute nested(int type, List<NetlinkAttribute> children) {
        return new NetlinkAttribute(type | NLA_F_NESTED, encode(children));
    }

    /** The value as a string, up to the first NUL. */
    public String asString() {
        int end = 0;
        while (end < value.length && value[end] != 0) {
            end++;
        }
        return new String(value, 0, end, StandardCharsets.UTF_8);
    }

    /** The value as an unsigned 8-, 16- or 32-bit host-order integer, by its length. */
    public long asUnsigned() {
        ByteBuffer b = ByteBuffer.wrap(value).order(ORDER);
        return switch (value.length) {
            case 1 -> Byte.toUnsignedLong(b.get());
            case 2 -> Short.toUnsignedLong(b.getShort());
            case 4 -> Integer.toUnsignedLong(b.getInt());
            default -> throw new MalformedMessageException("netlink attribute " + kind() + " holds " + value.length
                    + " bytes; expected an integer of 1, 2 or 4 bytes");
        };
    }

    /** The value as a 32-bit integer. */
    public int asInt() {
        return (int) asUnsigned();
    }

    /** The value decoded as an attribute list. */
    public List<NetlinkAttribute> asNested() {
        return decode(ByteBuffer.wrap(value));
    }

    /** Finds the first attribute of {@code kind} (flags ignored). */
    public static Optional<NetlinkAttribute> find(List<NetlinkAttribute> attributes, int kind) {
        for (NetlinkAttribute a : attributes) {
            if (a.kind() == kind) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    static int align(int length) {
        return (length + 3) & ~3;
    }

    /** Encoded size of {@code attributes}, padding included. */
    public static int encodedLength(List<NetlinkAttribute> attributes) {
        int total = 0;
        for (NetlinkAttribute a : attributes) {
            total += align(HEADER + a.value.length);
        }
        return total;
    }

    /** Encodes {@code attributes} as a padded attribute list. */
    public static byte[] encode(List<NetlinkAttribute> attributes) {
        ByteBuffer out = ByteBuffer.allocate(encodedLength(attributes)).order(ORDER);
        write(out, attributes);
        return out.array();
    }

    static void write(ByteBuffer out, List<NetlinkAttribute> attributes) {
        for (NetlinkAttribute a : attributes) {
            int start = out.position();
            out.putShort((short) (HEADER + a.value.length));
            out.putShort((short) a.type);
            out.put(a.value);
            out.position(start + align(HEADER + a.value.length));
        }
    }

    /** Decodes the attribute list filling {@code in} from its position to its limit. */
    public static List<NetlinkAttribute> decode(ByteBuffer in) {
        ByteBuffer b = in.slice().order(ORDER);
        List<NetlinkAttribute> out = new ArrayList<>();
        while (b.remaining() >= HEADER) {
            int offset = b.position();
            int length = Short.toUnsignedInt(b.getShort());
            int type = Short.toUnsignedInt(b.getShort());
            if (length < HEADER || length - HEADER > b.remaining()) {
                throw new MalformedMessageException("netlink attribute at offset " + offset + " (type " + type
                        + ") declares length " + length + "; expected 4.." + (b.remaining() + HEADER));
            }
            byte[] value = new byte[length - HEADER];
            b.get(value);
            out.add(new NetlinkAttribute(type, value));
            int padding = align(length) - length;
            b.position(Math.min(b.limit(), b.position() + padding));
        }
        if (b.hasRemaining()) {
            throw new MalformedMessageException("netlink attribute list has " + b.remaining()
                    + " trailing bytes; expected none or at least a 4-byte attribute header");
        }
        return List.copyOf(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetlinkAttribute other && type == other.type && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "NetlinkAttribute[type=" + type + ", value=" + HexFormat.of().formatHex(value) + "]";
    }
}
