package dev.basalt.networkd.netlink;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One netlink message: the 16-byte {@code struct nlmsghdr} (length, type, flags, sequence, port id; host byte order)
 * and its body, padded to 4 bytes. Owns the datagram codec (a datagram carries one or more messages) and the message
 * type and flag numbers of {@code linux/netlink.h} and {@code linux/rtnetlink.h}.
 *
 * <p>Immutable and thread-safe.
 */
public record NetlinkMessage(int type, int flags, int sequence, int portId, byte[] body) {
    public static final int HEADER = 16;

    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;

    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_SETLINK = 19;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_GETROUTE = 26;
    public static final int RTM_NEWNEIGH = 28;
    public static final int RTM_DELNEIGH = 29;
    public static final int RTM_GETNEIGH = 30;

    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_DUMP = 0x300;
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    /** On an {@link #NLMSG_ERROR} reply: the echoed request was cut to its header. */
    public static final int NLM_F_CAPPED = 0x100;
    /** On an {@link #NLMSG_ERROR} reply: extended-ack attributes follow the echoed request. */
    public static final int NLM_F_ACK_TLVS = 0x200;

    /** Multicast group bits for {@link NetlinkSocket.Factory#open(int)} ({@code RTMGRP_*}). */
    public static final int RTMGRP_LINK = 0x1;
    public static final int RTMGRP_NEIGH = 0x4;
    public static final int RTMGRP_IPV4_IFADDR = 0x10;
    public static final int RTMGRP_IPV4_ROUTE = 0x40;
    public static final int RTMGRP_IPV6_IFADDR = 0x100;
    public static final int RTMGRP_IPV6_ROUTE = 0x400;

    public NetlinkMessage {
        if (type < 0 || type > 0xffff || flags < 0 || flags > 0xffff) {
            throw new IllegalArgumentException("netlink type and flags must be 16-bit, got type " + type + ", flags " + flags);
        }
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** Encoded length of this message, padding included. */
    public int encodedLength() {
        return NetlinkAttribute.align(HEADER + body.length);
    }

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(encodedLength()).order(NetlinkAttribute.ORDER);
        out.putInt(HEADER + body.length).putShort((short) type).putShort((short) flags).putInt(sequence).putInt(portId);
        out.put(body);
        return out.array();
    }

    /** Decodes every message in one datagram. */
    public static List<NetlinkMessage> decodeAll(byte[] datagram) {
        ByteBuffer in = ByteBuffer.wrap(datagram).order(NetlinkAttribute.ORDER);
        List<NetlinkMessage> out = new ArrayList<>();
        while (in.remaining() >= HEADER) {
            int offset = in.position();
            int length = in.getInt();
            if (length < HEADER || length - 4 > in.remaining()) {
                throw new MalformedMessageException("netlink message at offset " + offset + " declares length "
                        + Integer.toUnsignedString(length) + "; expected 16.." + (in.remaining() + 4));
            }
            int type = Short.toUnsignedInt(in.getShort());
            int flags = Short.toUnsignedInt(in.getShort());
            int sequence = in.getInt();
            int portId = in.getInt();
            byte[] body = new byte[length - HEADER];
            in.get(body);
            out.add(new NetlinkMessage(type, flags, sequence, portId, body));
            in.position(Math.min(in.limit(), offset + NetlinkAttribute.align(length)));
        }
        if (in.hasRemaining()) {
            throw new MalformedMessageException("netlink datagram has " + in.remaining()
                    + " trailing bytes; expected none or a 16-byte message header");
        }
        return List.copyOf(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetlinkMessage m && type == m.type && flags == m.flags && sequence == m.sequence
                && portId == m.portId && Arrays.equals(body, m.body);
    }

    @Override
    public int hashCode() {
        return ((type * 31 + flags) * 31 + sequence) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "NetlinkMessage[type=" + type + ", flags=0x" + Integer.toHexString(flags) + ", seq=" + sequence
                + ", port=" + portId + ", body=" + HexFormat.of().formatHex(body) + "]";
    }
}
