package dev.basalt.networkd.netlink;

import dev.basalt.networkd.resource.BondMode;
import dev.basalt.networkd.resource.IpPrefix;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the rtnetlink client puts on the wire, against a fake kernel that acknowledges or refuses. */
class RtnetlinkRequestTest {
    private static final HexFormat HEX = HexFormat.of();
    private FakeKernel kernel;
    private Rtnetlink rtnl;

    @BeforeEach
    void setUp() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "golden bytes are written for little-endian hosts");
        kernel = new FakeKernel();
        rtnl = new Rtnetlink(kernel);
    }

    @Test
    void createsAVlanWithTheAttributesIpSends() throws Exception {
        kernel.linkIndexForDump = 9;
        kernel.linkNameForDump = "ve0.42";
        int index = rtnl.createVlan("ve0.42", 7, 42);

        assertThat(index).isEqualTo(9);
        NetlinkMessage sent = kernel.sent.getFirst();
        assertThat(sent.type()).isEqualTo(NetlinkMessage.RTM_NEWLINK);
        assertThat(sent.flags()).isEqualTo(0x605); // REQUEST | ACK | EXCL | CREATE
        assertThat(HEX.formatHex(sent.body())).isEqualTo(
                "0000" + "0000" + "00000000" + "00000000" + "00000000"
                        + "0b00" + "0300" + "7665302e3432" + "00" + "00"
                        + "0800" + "0500" + "07000000"
                        + "1c00" + "1280"
                        + "0900" + "0100" + "766c616e00" + "000000"
                        + "0c00" + "0280" + "0600" + "0100" + "2a00" + "0000");
    }

    @Test
    void createsAnActiveBackupBond() throws Exception {
        kernel.linkIndexForDump = 5;
        kernel.linkNameForDump = "bond0";
        rtnl.createBond("bond0", BondMode.ACTIVE_BACKUP, 100);

        String body = HEX.formatHex(kernel.sent.getFirst().body());
        assertThat(body).endsWith("2400" + "1280"
                + "0900" + "0100" + "626f6e6400" + "000000"
                + "1400" + "0280" + "0500" + "0100" + "01" + "000000" + "0800" + "0300" + "64000000");
    }

    @Test
    void addsARouteWithMetricSourceAndTable() throws Exception {
        rtnl.addRoute(new RouteRequest(IpPrefix.parse("10.9.1.7/16"), Optional.of(InetAddress.getByName("192.0.2.1")), 3,
                Optional.of(InetAddress.getByName("192.0.2.10")), 50, 1000, RouteMessage.RTPROT_STATIC));

        NetlinkMessage sent = kernel.sent.getFirst();
        assertThat(sent.flags()).isEqualTo(0x505); // REQUEST | ACK | CREATE | REPLACE
        RouteMessage r = RouteMessage.decode(sent.body());
        assertThat(r.destinationLength()).isEqualTo(16);
        assertThat(r.table()).isZero(); // tables above 255 go only in RTA_TABLE
        assertThat(r.effectiveTable()).isEqualTo(1000);
        assertThat(NetlinkAttribute.find(r.attributes(), RouteMessage.RTA_DST).orElseThrow().value())
                .containsExactly(10, 9, 0, 0); // host bits cleared
        assertThat(NetlinkAttribute.find(r.attributes(), RouteMessage.RTA_PRIORITY).orElseThrow().asInt()).isEqualTo(50);
        assertThat(NetlinkAttribute.find(r.attributes(), RouteMessage.RTA_PREFSRC).orElseThrow().value())
                .containsExactly(192, 0, 2, 10);
    }

    @Test
    void turnsARefusalIntoAnErrorNamingTheRequest() {
        kernel.refuseWith = 17;
        assertThatThrownBy(() -> rtnl.addAddress(3, IpPrefix.parse("192.0.2.5/24")))
                .isInstanceOf(RtnetlinkException.class)
                .hasMessage("add address 192.0.2.5/24 to link 3 failed: errno 17 (EEXIST): File exists");
    }

    @Test
    void ignoresStaleRepliesToEarlierRequests() throws Exception {
        kernel.staleFirst = true;
        rtnl.setLinkUp(3, true);
        assertThat(kernel.sent).hasSize(1);
    }

    @Test
    void rejectsAnMtuOutsideWhatLinuxAccepts() {
        assertThatThrownBy(() -> rtnl.setMtu(3, 20)).hasMessage("MTU for link 3 must be 68..65535, got 20");
    }

    /** Acknowledges every request; answers link dumps with one link. */
    private static final class FakeKernel implements NetlinkSocket {
        final List<NetlinkMessage> sent = new ArrayList<>();
        final Deque<byte[]> replies = new ArrayDeque<>();
        int linkIndexForDump;
        String linkNameForDump = "";
        int refuseWith;
        boolean staleFirst;

        @Override
        public void send(byte[] datagram) {
            NetlinkMessage m = NetlinkMessage.decodeAll(datagram).getFirst();
            if ((m.flags() & NetlinkMessage.NLM_F_DUMP) == NetlinkMessage.NLM_F_DUMP) {
                LinkMessage link = new LinkMessage(0, 1, linkIndexForDump, 0, 0,
                        List.of(NetlinkAttribute.ofString(LinkMessage.IFLA_IFNAME, linkNameForDump)));
                replies.add(concat(new NetlinkMessage(NetlinkMessage.RTM_NEWLINK, NetlinkMessage.NLM_F_MULTI, m.sequence(), 1, link.encode()).encode(),
                        new NetlinkMessage(NetlinkMessage.NLMSG_DONE, NetlinkMessage.NLM_F_MULTI, m.sequence(), 1, new byte[4]).encode()));
                return;
            }
            sent.add(m);
            if (staleFirst) {
                replies.add(ack(m.sequence() - 5, -22, 0));
            }
            replies.add(ack(m.sequence(), -refuseWith, refuseWith != 0 ? NetlinkMessage.NLM_F_CAPPED | NetlinkMessage.NLM_F_ACK_TLVS : 0));
        }

        private static byte[] ack(int seq, int error, int flags) {
            ByteBuffer b = ByteBuffer.allocate(4 + 16 + (flags != 0 ? 16 : 0)).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(error).putInt(16).putShort((short) 0).putShort((short) 0).putInt(seq).putInt(0);
            if (flags != 0) {
                b.put(NetlinkAttribute.encode(List.of(NetlinkAttribute.ofString(1, "File exists"))));
            }
            return new NetlinkMessage(NetlinkMessage.NLMSG_ERROR, flags, seq, 1, b.array()).encode();
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] out = new byte[a.length + b.length];
            System.arraycopy(a, 0, out, 0, a.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }

        @Override
        public Optional<byte[]> receive(Duration timeout) throws IOException {
            if (replies.isEmpty()) {
                throw new IOException("the client waited for a reply the fake kernel never queued");
            }
            return Optional.of(replies.removeFirst());
        }

        @Override
        public int portId() {
            return 99;
        }

        @Override
        public void close() {
        }
    }
}
