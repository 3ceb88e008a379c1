package dev.basalt.networkd.netlink;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * The body of an {@link NetlinkMessage#NLMSG_ERROR} reply ({@code struct nlmsgerr}): a negative errno (0 for an
 * acknowledgement), the echoed request header, and, with extended acks, the kernel's error text
 * ({@code NLMSGERR_ATTR_MSG}).
 *
 * <p>Immutable and thread-safe.
 */
public record ErrorMessage(int error, int requestSequence, Optional<String> kernelMessage) {
    private static final int NLMSGERR_ATTR_MSG = 1;

    /** Decodes the body of {@code message}, whose header flags say whether the echo is capped and TLVs follow. */
    public static ErrorMessage decode(NetlinkMessage message) {
        byte[] body = message.body();
        if (body.length < 4 + NetlinkMessage.HEADER) {
            throw new MalformedMessageException("nlmsgerr is " + body.length + " bytes; expected at least 20");
        }
        ByteBuffer in = ByteBuffer.wrap(body).order(NetlinkAttribute.ORDER);
        int error = in.getInt();
        int echoedLength = in.getInt();
        in.getShort();
        in.getShort();
        int sequence = in.getInt();
        in.getInt();
        Optional<String> text = Optional.empty();
        if ((message.flags() & NetlinkMessage.NLM_F_ACK_TLVS) != 0) {
            int skip = (message.flags() & NetlinkMessage.NLM_F_CAPPED) != 0
                    ? 0 : NetlinkAttribute.align(Math.max(NetlinkMessage.HEADER, echoedLength)) - NetlinkMessage.HEADER;
            if (skip < 0 || skip > in.remaining()) {
                throw new MalformedMessageException("nlmsgerr echoes a request of " + echoedLength
                        + " bytes but only " + in.remaining() + " bytes follow");
            }
            in.position(in.position() + skip);
            List<NetlinkAttribute> tlvs = NetlinkAttribute.decode(in);
            text = NetlinkAttribute.find(tlvs, NLMSGERR_ATTR_MSG).map(NetlinkAttribute::asString);
        }
        return new ErrorMessage(error, sequence, text);
    }
}
