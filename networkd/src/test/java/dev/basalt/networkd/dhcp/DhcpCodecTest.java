package dev.basalt.networkd.dhcp;

import dev.basalt.networkd.packet.Ipv4UdpPacket;
import dev.basalt.networkd.packet.MalformedPacketException;
import dev.basalt.networkd.packet.PacketSocket;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DHCP, IPv4/UDP and lease parsing: golden bytes, round trips, and hostile input. */
class DhcpCodecTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] MAC = {2, 0, 0, 0, 0x77, 1};

    static Inet4Address v4(String s) {
        try {
            return (Inet4Address) InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void encodesADiscoverWithCookieOptionsAndPadding() {
        DhcpMessage m = new DhcpMessage(DhcpMessage.BOOTREQUEST, 0x11223344, 0, 0, DhcpMessage.ANY, DhcpMessage.ANY,
                DhcpMessage.ANY, DhcpMessage.ANY, MAC, List.of(DhcpOption.ofByte(DhcpOption.MESSAGE_TYPE, 1)));
        byte[] bytes = m.encode();
        assertThat(bytes).hasSize(300);
        assertThat(HEX.formatHex(bytes, 0, 12)).isEqualTo("010106001122334400000000");
        assertThat(HEX.formatHex(bytes, 28, 34)).isEqualTo("020000007701");
        assertThat(HEX.formatHex(bytes, 236, 243)).isEqualTo("63825363" + "350101");
        assertThat(bytes[243]).isEqualTo((byte) 255);
    }

    @Test
    void splitsLongOptionsAndJoinsThemAgain() {
        byte[] big = new byte[600];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        DhcpMessage m = reply(List.of(DhcpOption.ofByte(DhcpOption.MESSAGE_TYPE, 5), new DhcpOption(DhcpOption.DOMAIN_SEARCH, big)));
        assertThat(DhcpMessage.decode(m.encode()).option(DhcpOption.DOMAIN_SEARCH).orElseThrow().value()).isEqualTo(big);
    }

    @Test
    void readsALeaseWithEveryOptionNetworkdUses() {
        byte[] search = HEX.parseHex("076578616d706c65047465737400" + "0362617ac000"); // example.test, baz.example.test
        byte[] classless = HEX.parseHex("18" + "c0a864" + "0a4d0001" + "00" + "0a4d0001"); // 192.168.100/24 and default
        DhcpMessage ack = reply(List.of(
                DhcpOption.ofByte(DhcpOption.MESSAGE_TYPE, 5),
                new DhcpOption(DhcpOption.SUBNET_MASK, HEX.parseHex("ffffff00")),
                new DhcpOption(DhcpOption.SERVER_ID, HEX.parseHex("0a4d0001")),
                DhcpOption.ofInt(DhcpOption.LEASE_TIME, 120),
                DhcpOption.ofInt(DhcpOption.RENEWAL_TIME, 8),
                new DhcpOption(DhcpOption.ROUTER, HEX.parseHex("0a4d0001")),
                new DhcpOption(DhcpOption.DNS_SERVERS, HEX.parseHex("0a4d00350a4d0036")),
                new DhcpOption(DhcpOption.HOSTNAME, "node-a".getBytes()),
                new DhcpOption(DhcpOption.DOMAIN_NAME, "example.test".getBytes()),
                DhcpOption.ofShort(DhcpOption.INTERFACE_MTU, 1400),
                new DhcpOption(DhcpOption.DOMAIN_SEARCH, search),
                new DhcpOption(DhcpOption.CLASSLESS_STATIC_ROUTES, classless)));
        Instant sent = Instant.parse("2026-01-01T00:00:00Z");

        DhcpLease lease = DhcpLease.from(DhcpMessage.decode(ack.encode()), sent);

        assertThat(lease.address()).hasToString("10.77.0.111/24");
        assertThat(lease.server()).isEqualTo(v4("10.77.0.1"));
        assertThat(lease.dnsServers()).containsExactly(v4("10.77.0.53"), v4("10.77.0.54"));
        assertThat(lease.hostname()).contains("node-a");
        assertThat(lease.domainName()).isEqualTo("example.test");
        assertThat(lease.searchDomains()).containsExactly("example.test", "baz.example.test");
        assertThat(lease.mtu()).contains(1400);
        assertThat(lease.classlessRoutes()).extracting(r -> r.destination() + " via " + r.router().getHostAddress())
                .containsExactly("192.168.100.0/24 via 10.77.0.1", "0.0.0.0/0 via 10.77.0.1");
        assertThat(lease.renewAt()).isEqualTo(sent.plusSeconds(8));
        assertThat(lease.rebindAt()).isEqualTo(sent.plusSeconds(105));
        assertThat(lease.expiresAt()).isEqualTo(sent.plusSeconds(120));
    }

    @Test
    void rejectsASearchListWhosePointerLoops() {
        assertThatThrownBy(() -> DhcpLease.domainSearch(HEX.parseHex("03616263c000")))
                .isInstanceOf(MalformedPacketException.class).hasMessageContaining("option 119");
    }

    @Test
    void rejectsANonContiguousSubnetMask() {
        DhcpMessage ack = reply(List.of(DhcpOption.ofByte(DhcpOption.MESSAGE_TYPE, 5),
                new DhcpOption(DhcpOption.SUBNET_MASK, HEX.parseHex("ff00ff00")),
                new DhcpOption(DhcpOption.SERVER_ID, HEX.parseHex("0a4d0001")), DhcpOption.ofInt(DhcpOption.LEASE_TIME, 60)));
        assertThatThrownBy(() -> DhcpLease.from(ack, Instant.EPOCH)).hasMessage("DHCP subnet mask 255.0.255.0 is not contiguous");
    }

    @Test
    void ipv4UdpHeaderChecksumsVerify() {
        Ipv4UdpPacket p = new Ipv4UdpPacket(DhcpMessage.ANY, DhcpMessage.BROADCAST, 68, 67, new byte[] {1, 2, 3});
        byte[] bytes = p.encode();
        assertThat(HEX.formatHex(bytes, 0, 20)).isEqualTo("4510001f0000400040113abf00000000ffffffff");
        assertThat(Ipv4UdpPacket.decode(bytes)).isEqualTo(p);
        bytes[15] ^= 1;
        assertThatThrownBy(() -> Ipv4UdpPacket.decode(bytes)).hasMessage("IPv4 header checksum does not verify");
    }

    @Property
    void dhcpMessagesRoundTrip(@ForAll("messages") DhcpMessage m) {
        assertThat(DhcpMessage.decode(m.encode())).isEqualTo(m);
    }

    @Property
    void ipv4UdpPacketsRoundTrip(@ForAll int src, @ForAll int dst, @ForAll("ports") int sport, @ForAll("ports") int dport,
                                 @ForAll @Size(max = 600) byte[] payload) {
        Ipv4UdpPacket p = new Ipv4UdpPacket(v4bits(src), v4bits(dst), sport, dport, payload);
        assertThat(Ipv4UdpPacket.decode(p.encode())).isEqualTo(p);
    }

    /** Garbage in every layer: only MalformedPacketException, never another exception, never a hang. */
    @Property(tries = 3000)
    void malformedDhcpInputFailsCleanly(@ForAll @Size(max = 400) byte[] garbage) {
        try {
            DhcpLease.from(DhcpMessage.decode(garbage), Instant.EPOCH);
        } catch (MalformedPacketException expected) {
            // fine
        }
        try {
            Ipv4UdpPacket.decode(garbage);
        } catch (MalformedPacketException expected) {
            // fine
        }
    }

    /** Structurally valid messages whose option values are garbage must not break lease parsing or the client. */
    @Property(tries = 2000)
    void garbageOptionValuesFailCleanly(@ForAll("garbageOptions") List<DhcpOption> options) {
        List<DhcpOption> all = new ArrayList<>(options);
        all.add(DhcpOption.ofByte(DhcpOption.MESSAGE_TYPE, 5));
        DhcpMessage m = reply(all);
        try {
            DhcpLease.from(DhcpMessage.decode(m.encode()), Instant.EPOCH);
        } catch (MalformedPacketException expected) {
            // fine
        }
        DhcpClient client = new DhcpClient("eth0", new NullSocket(), java.time.InstantSource.system(),
                java.util.random.RandomGenerator.getDefault(), null, Optional.empty());
        byte[] frame = new Ipv4UdpPacket(v4("10.0.0.1"), DhcpMessage.BROADCAST, 67, 68, m.encode()).encode();
        assertThat(client.parse(new PacketSocket.Frame(frame, MAC, true))).isEmpty(); // wrong xid: ignored, no crash
    }

    private static DhcpMessage reply(List<DhcpOption> options) {
        return new DhcpMessage(DhcpMessage.BOOTREPLY, 7, 0, 0, DhcpMessage.ANY, v4("10.77.0.111"), v4("10.77.0.1"),
                DhcpMessage.ANY, MAC, options);
    }

    private static Inet4Address v4bits(int bits) {
        return DhcpMessage.v4(new byte[] {(byte) (bits >> 24), (byte) (bits >> 16), (byte) (bits >> 8), (byte) bits});
    }

    @Provide
    Arbitrary<Integer> ports() {
        return Arbitraries.integers().between(0, 65535);
    }

    @Provide
    Arbitrary<List<DhcpOption>> garbageOptions() {
        Arbitrary<DhcpOption> option = Combinators.combine(
                Arbitraries.of(1, 3, 6, 12, 15, 26, 42, 51, 54, 56, 58, 59, 119, 121),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40)).as(DhcpOption::new);
        return option.list().ofMaxSize(8).uniqueElements(DhcpOption::code);
    }

    @Provide
    Arbitrary<DhcpMessage> messages() {
        Arbitrary<DhcpOption> option = Combinators.combine(Arbitraries.integers().between(1, 254),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300)).as(DhcpOption::new);
        Arbitrary<List<DhcpOption>> options = option.list().ofMaxSize(6).uniqueElements(DhcpOption::code)
                // option 52 would make the decoder read sname/file, which this codec writes as zeros
                .map(l -> l.stream().filter(o -> o.code() != DhcpOption.OVERLOAD).toList());
        Arbitrary<Inet4Address> address = Arbitraries.integers().map(DhcpCodecTest::v4bits);
        return Combinators.combine(Arbitraries.of(1, 2), Arbitraries.integers(), Arbitraries.integers().between(0, 65535),
                address, address, Arbitraries.bytes().array(byte[].class).ofMaxSize(16), options)
                .as((op, xid, flags, ci, yi, chaddr, opts) -> new DhcpMessage(op, xid, 0, flags, ci, yi, DhcpMessage.ANY,
                        DhcpMessage.ANY, chaddr, opts));
    }

    private static final class NullSocket implements PacketSocket {
        @Override
        public void send(byte[] payload, byte[] destinationMac) {
        }

        @Override
        public Optional<Frame> receive(Duration timeout) {
            return Optional.empty();
        }

        @Override
        public byte[] hardwareAddress() {
            return MAC.clone();
        }

        @Override
        public void close() {
        }
    }
}
