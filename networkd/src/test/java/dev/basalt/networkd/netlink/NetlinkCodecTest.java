package dev.basalt.networkd.netlink;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The netlink wire codec, byte for byte and by round trip; hostile input fails with one exception type only. */
class NetlinkCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "golden bytes are written for little-endian hosts");
    }

    @Test
    void encodesAnAttributeListWithPadding() {
        byte[] bytes = NetlinkAttribute.encode(List.of(
                NetlinkAttribute.ofString(3, "eth0"),
                NetlinkAttribute.ofU32(4, 1500),
                NetlinkAttribute.ofU8(16, 6)));
        assertThat(HEX.formatHex(bytes)).isEqualTo(
                "0900" + "0300" + "6574683000" + "000000"
                        + "0800" + "0400" + "dc050000"
                        + "0500" + "1000" + "06" + "000000");
    }

    @Test
    void encodesAMessageHeaderInHostOrder() {
        NetlinkMessage m = new NetlinkMessage(NetlinkMessage.RTM_GETLINK, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_DUMP,
                0x01020304, 0, new byte[] {1, 2, 3});
        assertThat(HEX.formatHex(m.encode())).isEqualTo("13000000" + "1200" + "0103" + "04030201" + "00000000" + "010203" + "00");
    }

    @Test
    void decodesAnAddressMessageAsTheKernelSendsIt() {
        // RTM_NEWADDR for 192.0.2.10/24 on ifindex 2, as captured from the kernel (IFA_ADDRESS, IFA_LOCAL, IFA_LABEL).
        String hex = "38000000" + "1400" + "0200" + "07000000" + "00000000"
                + "02" + "18" + "80" + "00" + "02000000"
                + "0800" + "0100" + "c000020a"
                + "0800" + "0200" + "c000020a"
                + "0800" + "0300" + "76653000"
                + "0800" + "0800" + "80000000";
        List<NetlinkMessage> messages = NetlinkMessage.decodeAll(HEX.parseHex(hex));
        assertThat(messages).hasSize(1);
        AddressMessage a = AddressMessage.decode(messages.getFirst().body());
        assertThat(a.prefixLength()).isEqualTo(24);
        assertThat(a.index()).isEqualTo(2);
        assertThat(Rtnetlink.toAddressStatus(a).orElseThrow().address()).hasToString("192.0.2.10/24");
        assertThat(Rtnetlink.toAddressStatus(a).orElseThrow().label()).isEqualTo("ve0");
    }

    @Test
    void decodesAnExtendedAckWithTheKernelsMessage() {
        // NLMSG_ERROR -EEXIST, echo capped to the header, then NLMSGERR_ATTR_MSG "File exists".
        String hex = "34000000" + "0200" + "0003" + "2a000000" + "00000000"
                + "efffffff"
                + "20000000" + "1000" + "0506" + "2a000000" + "00000000"
                + "1000" + "0100" + "46696c6520657869737473" + "00";
        NetlinkMessage m = NetlinkMessage.decodeAll(HEX.parseHex(hex)).getFirst();
        ErrorMessage e = ErrorMessage.decode(m);
        assertThat(e.error()).isEqualTo(-17);
        assertThat(e.requestSequence()).isEqualTo(42);
        assertThat(e.kernelMessage()).contains("File exists");
    }

    @Test
    void rejectsAMessageLongerThanItsDatagram() {
        assertThatThrownBy(() -> NetlinkMessage.decodeAll(HEX.parseHex("ff000000" + "1000" + "0000" + "00000000" + "00000000")))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("offset 0").hasMessageContaining("length 255").hasMessageContaining("expected 16..16");
    }

    @Test
    void rejectsAnAttributeShorterThanItsHeader() {
        assertThatThrownBy(() -> NetlinkAttribute.decode(java.nio.ByteBuffer.wrap(HEX.parseHex("0200" + "0300"))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("declares length 2");
    }

    @Property
    void attributeListsRoundTrip(@ForAll("attributeLists") List<NetlinkAttribute> attributes) {
        assertThat(NetlinkAttribute.decode(java.nio.ByteBuffer.wrap(NetlinkAttribute.encode(attributes)))).isEqualTo(attributes);
    }

    @Property
    void messagesRoundTripThroughOneDatagram(@ForAll("messages") List<NetlinkMessage> messages) {
        java.io.ByteArrayOutputStream datagram = new java.io.ByteArrayOutputStream();
        messages.forEach(m -> datagram.writeBytes(m.encode()));
        assertThat(NetlinkMessage.decodeAll(datagram.toByteArray())).isEqualTo(messages);
    }

    @Property
    void linkMessagesRoundTrip(@ForAll("bytes") int family, @ForAll("shorts") int type, @ForAll int index, @ForAll int flags,
                               @ForAll int change, @ForAll("attributeLists") List<NetlinkAttribute> attributes) {
        LinkMessage m = new LinkMessage(family, type, index, flags, change, attributes);
        assertThat(LinkMessage.decode(m.encode())).isEqualTo(m);
    }

    @Property
    void addressMessagesRoundTrip(@ForAll("bytes") int family, @ForAll("bytes") int prefix, @ForAll("bytes") int flags,
                                  @ForAll("bytes") int scope, @ForAll int index, @ForAll("attributeLists") List<NetlinkAttribute> attributes) {
        AddressMessage m = new AddressMessage(family, prefix, flags, scope, index, attributes);
        assertThat(AddressMessage.decode(m.encode())).isEqualTo(m);
    }

    @Property
    void routeMessagesRoundTrip(@ForAll("bytes") int family, @ForAll("bytes") int dst, @ForAll("bytes") int table,
                                @ForAll("bytes") int protocol, @ForAll("bytes") int scope, @ForAll("bytes") int type,
                                @ForAll int flags, @ForAll("attributeLists") List<NetlinkAttribute> attributes) {
        RouteMessage m = new RouteMessage(family, dst, 0, 0, table, protocol, scope, type, flags, attributes);
        assertThat(RouteMessage.decode(m.encode())).isEqualTo(m);
    }

    @Property
    void neighbourMessagesRoundTrip(@ForAll("bytes") int family, @ForAll int index, @ForAll("shorts") int state,
                                    @ForAll("bytes") int flags, @ForAll("bytes") int type,
                                    @ForAll("attributeLists") List<NetlinkAttribute> attributes) {
        NeighbourMessage m = new NeighbourMessage(family, index, state, flags, type, attributes);
        assertThat(NeighbourMessage.decode(m.encode())).isEqualTo(m);
    }

    /** Arbitrary bytes never crash a reader with anything but a MalformedMessageException, and never hang. */
    @Property(tries = 3000)
    void malformedDatagramsFailCleanly(@ForAll @Size(max = 200) byte[] garbage) {
        try {
            for (NetlinkMessage m : NetlinkMessage.decodeAll(garbage)) {
                decodeBody(m);
            }
        } catch (MalformedMessageException expected) {
            // the only acceptable failure
        }
        assertThat(RtnetlinkWatch.decode(garbage)).isNotNull();
    }

    /** Well-framed messages whose bodies are garbage: the status conversions must cope too. */
    @Property(tries = 3000)
    void garbageBodiesInValidFramesFailCleanly(@ForAll("bodyTypes") int type, @ForAll @Size(max = 120) byte[] body) {
        NetlinkMessage m = new NetlinkMessage(type, 0, 1, 0, body);
        try {
            decodeBody(m);
        } catch (MalformedMessageException expected) {
            // the only acceptable failure
        }
        assertThat(RtnetlinkWatch.decode(m.encode())).isNotNull();
    }

    private static void decodeBody(NetlinkMessage m) {
        switch (m.type()) {
            case NetlinkMessage.RTM_NEWLINK -> Rtnetlink.toLinkStatus(LinkMessage.decode(m.body()));
            case NetlinkMessage.RTM_NEWADDR -> Rtnetlink.toAddressStatus(AddressMessage.decode(m.body()));
            case NetlinkMessage.RTM_NEWROUTE -> Rtnetlink.toRouteStatus(RouteMessage.decode(m.body()));
            case NetlinkMessage.RTM_NEWNEIGH -> Rtnetlink.toNeighbourStatus(NeighbourMessage.decode(m.body()));
            case NetlinkMessage.NLMSG_ERROR -> ErrorMessage.decode(m);
            default -> {
            }
        }
    }

    @Provide
    Arbitrary<Integer> bodyTypes() {
        return Arbitraries.of(NetlinkMessage.RTM_NEWLINK, NetlinkMessage.RTM_NEWADDR, NetlinkMessage.RTM_NEWROUTE,
                NetlinkMessage.RTM_NEWNEIGH, NetlinkMessage.NLMSG_ERROR, NetlinkMessage.RTM_DELLINK);
    }

    @Provide
    Arbitrary<Integer> bytes() {
        return Arbitraries.integers().between(0, 255);
    }

    @Provide
    Arbitrary<Integer> shorts() {
        return Arbitraries.integers().between(0, 65535);
    }

    @Provide
    Arbitrary<List<NetlinkAttribute>> attributeLists() {
        Arbitrary<NetlinkAttribute> attribute = Combinators.combine(
                Arbitraries.integers().between(0, 65535),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40)).as(NetlinkAttribute::new);
        return attribute.list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<NetlinkMessage>> messages() {
        Arbitrary<NetlinkMessage> message = Combinators.combine(
                Arbitraries.integers().between(0, 65535), Arbitraries.integers().between(0, 65535),
                Arbitraries.integers(), Arbitraries.integers(),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(60)).as(NetlinkMessage::new);
        return message.list().ofMaxSize(5);
    }
}
