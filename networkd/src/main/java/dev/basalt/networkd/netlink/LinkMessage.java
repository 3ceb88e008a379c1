package dev.basalt.networkd.netlink;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The body of an {@code RTM_*LINK} message: {@code struct ifinfomsg} (family, device type, index, flags, change mask;
 * 16 bytes) followed by {@code IFLA_*} attributes ({@code linux/if_link.h}).
 *
 * <p>Immutable and thread-safe.
 */
public record LinkMessage(int family, int deviceType, int index, int flags, int change, List<NetlinkAttribute> attributes) {
    static final int SIZE = 16;

    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_BROADCAST = 2;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_LINK = 5;
    public static final int IFLA_MASTER = 10;
    public static final int IFLA_OPERSTATE = 16;
    public static final int IFLA_LINKINFO = 18;
    public static final int IFLA_INFO_KIND = 1;
    public static final int IFLA_INFO_DATA = 2;
    public static final int IFLA_VLAN_ID = 1;
    public static final int IFLA_BOND_MODE = 1;
    public static final int IFLA_BOND_MIIMON = 3;

    /** {@code IFF_UP}: administratively up. */
    public static final int IFF_UP = 0x1;
    /** {@code IFF_LOWER_UP}: the driver signals carrier. */
    public static final int IFF_LOWER_UP = 0x10000;

    public LinkMessage {
        if (family < 0 || family > 0xff || deviceType < 0 || deviceType > 0xffff) {
            throw new IllegalArgumentException("ifinfomsg family must be 0..255 and type 0..65535, got family " + family
                    + ", type " + deviceType);
        }
        attributes = List.copyOf(attributes);
    }

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(SIZE + NetlinkAttribute.encodedLength(attributes)).order(NetlinkAttribute.ORDER);
        out.put((byte) family).put((byte) 0).putShort((short) deviceType).putInt(index).putInt(flags).putInt(change);
        NetlinkAttribute.write(out, attributes);
        return out.array();
    }

    public static LinkMessage decode(byte[] body) {
        if (body.length < SIZE) {
            throw new MalformedMessageException("ifinfomsg is " + body.length + " bytes; expected at least " + SIZE);
        }
        ByteBuffer in = ByteBuffer.wrap(body).order(NetlinkAttribute.ORDER);
        int family = Byte.toUnsignedInt(in.get());
        in.get();
        int type = Short.toUnsignedInt(in.getShort());
        int index = in.getInt();
        int flags = in.getInt();
        int change = in.getInt();
        return new LinkMessage(family, type, index, flags, change, NetlinkAttribute.decode(in));
    }
}
