package dev.basalt.networkd.netlink;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The body of an {@code RTM_*ROUTE} message: {@code struct rtmsg} (family, destination and source prefix lengths, tos,
 * table, protocol, scope, type, flags; 12 bytes) followed by {@code RTA_*} attributes ({@code linux/rtnetlink.h}).
 *
 * <p>Immutable and thread-safe.
 */
public record RouteMessage(int family, int destinationLength, int sourceLength, int tos, int table, int protocol,
                           int scope, int type, int flags, List<NetlinkAttribute> attributes) {
    static final int SIZE = 12;

    public static final int RTA_DST = 1;
    public static final int RTA_SRC = 2;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_PRIORITY = 6;
    public static final int RTA_PREFSRC = 7;
    public static final int RTA_TABLE = 15;

    public static final int RTN_UNICAST = 1;
    public static final int RTN_LOCAL = 2;
    public static final int RTN_BROADCAST = 3;
    public static final int RT_TABLE_UNSPEC = 0;
    public static final int RT_TABLE_MAIN = 254;
    public static final int RT_TABLE_LOCAL = 255;
    public static final int RTPROT_KERNEL = 2;
    public static final int RTPROT_BOOT = 3;
    public static final int RTPROT_STATIC = 4;
    public static final int RTPROT_DHCP = 16;
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RT_SCOPE_HOST = 254;

    public RouteMessage {
        if ((family | destinationLength | sourceLength | tos | table | protocol | scope | type) >>> 8 != 0) {
            throw new IllegalArgumentException("rtmsg byte fields must be 0..255, got family " + family + ", dst_len "
                    + destinationLength + ", src_len " + sourceLength + ", tos " + tos + ", table " + table
                    + ", protocol " + protocol + ", scope " + scope + ", type " + type);
        }
        attributes = List.copyOf(attributes);
    }

    /** The routing table: {@code RTA_TABLE} when present (tables above 255 live only there), else the header's. */
    public int effectiveTable() {
        return NetlinkAttribute.find(attributes, RTA_TABLE).map(NetlinkAttribute::asInt).orElse(table);
    }

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(SIZE + NetlinkAttribute.encodedLength(attributes)).order(NetlinkAttribute.ORDER);
        out.put((byte) family).put((byte) destinationLength).put((byte) sourceLength).put((byte) tos)
                .put((byte) table).put((byte) protocol).put((byte) scope).put((byte) type).putInt(flags);
        NetlinkAttribute.write(out, attributes);
        return out.array();
    }

    public static RouteMessage decode(byte[] body) {
        if (body.length < SIZE) {
            throw new MalformedMessageException("rtmsg is " + body.length + " bytes; expected at least " + SIZE);
        }
        ByteBuffer in = ByteBuffer.wrap(body).order(NetlinkAttribute.ORDER);
        int[] f = new int[8];
        for (int i = 0; i < 8; i++) {
            f[i] = Byte.toUnsignedInt(in.get());
        }
        int flags = in.getInt();
        return new RouteMessage(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], flags, NetlinkAttribute.decode(in));
    }
}
