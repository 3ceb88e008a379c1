package dev.basalt.networkd.netlink;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The body of an {@code RTM_*NEIGH} message: {@code struct ndmsg} (family, index, state, flags, type; 12 bytes)
 * followed by {@code NDA_*} attributes ({@code linux/neighbour.h}).
 *
 * <p>Immutable and thread-safe.
 */
public record NeighbourMessage(int family, int index, int state, int flags, int type, List<NetlinkAttribute> attributes) {
    static final int SIZE = 12;

    public static final int NDA_DST = 1;
    public static final int NDA_LLADDR = 2;

    public NeighbourMessage {
        if ((family | flags | type) >>> 8 != 0 || state >>> 16 != 0) {
            throw new IllegalArgumentException("ndmsg family, flags, type must be 0..255 and state 0..65535, got "
                    + family + ", " + flags + ", " + type + ", " + state);
        }
        attributes = List.copyOf(attributes);
    }

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(SIZE + NetlinkAttribute.encodedLength(attributes)).order(NetlinkAttribute.ORDER);
        out.put((byte) family).put((byte) 0).putShort((short) 0).putInt(index).putShort((short) state)
                .put((byte) flags).put((byte) type);
        NetlinkAttribute.write(out, attributes);
        return out.array();
    }

    public static NeighbourMessage decode(byte[] body) {
        if (body.length < SIZE) {
            throw new MalformedMessageException("ndmsg is " + body.length + " bytes; expected at least " + SIZE);
        }
        ByteBuffer in = ByteBuffer.wrap(body).order(NetlinkAttribute.ORDER);
        int family = Byte.toUnsignedInt(in.get());
        in.get();
        in.getShort();
        int index = in.getInt();
        int state = Short.toUnsignedInt(in.getShort());
        int flags = Byte.toUnsignedInt(in.get());
        int type = Byte.toUnsignedInt(in.get());
        return new NeighbourMessage(family, index, state, flags, type, NetlinkAttribute.decode(in));
    }
}
