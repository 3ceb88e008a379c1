package dev.basalt.networkd.netlink;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The body of an {@code RTM_*ADDR} message: {@code struct ifaddrmsg} (family, prefix length, flags, scope, index;
 * 8 bytes) followed by {@code IFA_*} attributes ({@code linux/if_addr.h}).
 *
 * <p>Immutable and thread-safe.
 */
public record AddressMessage(int family, int prefixLength, int flags, int scope, int index, List<NetlinkAttribute> attributes) {
    static final int SIZE = 8;

    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_LABEL = 3;
    public static final int IFA_BROADCAST = 4;
    public static final int IFA_FLAGS = 8;

    public AddressMessage {
        if ((family | prefixLength | flags | scope) >>> 8 != 0) {
            throw new IllegalArgumentException("ifaddrmsg family, prefix length, flags and scope must be 0..255, got "
                    + family + ", " + prefixLength + ", " + flags + ", " + scope);
        }
        attributes = List.copyOf(attributes);
    }

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(SIZE + NetlinkAttribute.encodedLength(attributes)).order(NetlinkAttribute.ORDER);
        out.put((byte) family).put((byte) prefixLength).put((byte) flags).put((byte) scope).putInt(index);
        NetlinkAttribute.write(out, attributes);
        return out.array();
    }

    public static AddressMessage decode(byte[] body) {
        if (body.length < SIZE) {
            throw new MalformedMessageException("ifaddrmsg is " + body.length + " bytes; expected at least " + SIZE);
        }
        ByteBuffer in = ByteBuffer.wrap(body).order(NetlinkAttribute.ORDER);
        int family = Byte.toUnsignedInt(in.get());
        int prefix = Byte.toUnsignedInt(in.get());
        int flags = Byte.toUnsignedInt(in.get());
        int scope = Byte.toUnsignedInt(in.get());
        int index = in.getInt();
        return new AddressMessage(family, prefix, flags, scope, index, NetlinkAttribute.decode(in));
    }
}
