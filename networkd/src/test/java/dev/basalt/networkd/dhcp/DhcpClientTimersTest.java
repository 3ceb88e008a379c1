package dev.basalt.networkd.dhcp;

import dev.basalt.networkd.packet.Ipv4UdpPacket;
import dev.basalt.networkd.packet.PacketSocket;
import dev.basalt.networkd.testing.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;

import static dev.basalt.networkd.dhcp.DhcpCodecTest.v4;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's RFC 2131 timers against a scripted server and a fake clock that jumps forward whenever the client
 * waits for a packet that is not there: hours of lease time pass in milliseconds.
 */
class DhcpClientTimersTest {
    private static final byte[] CLIENT_MAC = {2, 0, 0, 0, 0, 1};
    private static final byte[] SERVER_MAC = {2, 0, 0, 0, 0, 2};
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final FakeNetwork network = new FakeNetwork();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private DhcpClient client;
    private Thread thread;

    @AfterEach
    void stop() throws InterruptedException {
        if (client != null) {
            client.stop();
            thread.join(Duration.ofSeconds(5));
        }
    }

    private void start() {
        client = new DhcpClient("eth0", network, network, RandomGenerator.of("L64X128MixRandom"), new DhcpClient.Listener() {
            @Override
            public void bound(DhcpLease lease) {
                events.add("bound " + lease.address() + " at +" + network.elapsed());
            }

            @Override
            public void lost(DhcpLease lease, String reason) {
                events.add("lost " + lease.address() + " at +" + network.elapsed() + ": " + reason);
            }
        }, Optional.of("node-a"));
        thread = Thread.ofVirtual().start(client);
    }

    @Test
    void bindsThenRenewsAtT1ByUnicastToItsServer() {
        start();
        Eventually.within(Duration.ofSeconds(5), "two leases bound", () -> events.size() >= 2);

        assertThat(events.get(0)).isEqualTo("bound 10.0.0.50/24 at +0");
        assertThat(events.get(1)).isEqualTo("bound 10.0.0.50/24 at +60");
        Sent renew = network.sent.stream().filter(s -> s.type == DhcpMessageType.REQUEST && s.at == 60).findFirst().orElseThrow();
        assertThat(renew.destinationMac).containsExactly(SERVER_MAC);
        assertThat(renew.packet.destination()).isEqualTo(v4("10.0.0.1"));
        assertThat(renew.message.clientAddress()).isEqualTo(v4("10.0.0.50"));
        assertThat(renew.message.option(DhcpOption.SERVER_ID)).isEmpty(); // RFC 2131 §4.3.2: not in RENEWING
        assertThat(network.sent.getFirst().message.option(DhcpOption.HOSTNAME).orElseThrow().value()).isEqualTo("node-a".getBytes());
    }

    @Test
    void rebindsByBroadcastAtT2AndGivesUpAtExpiryWhenTheServerGoesSilent() {
        network.answerRenewals = false;
        start();
        Eventually.within(Duration.ofSeconds(5), "lease lost", () -> events.stream().anyMatch(e -> e.startsWith("lost")));

        // Afterwards it starts over with DISCOVER (and this server answers that), so look at the first cycle.
        assertThat(List.copyOf(events).subList(0, 2)).containsExactly("bound 10.0.0.50/24 at +0", "lost 10.0.0.50/24 at +120: lease expired");
        List<Sent> requests = network.sent.stream().filter(s -> s.type == DhcpMessageType.REQUEST && s.at > 0 && s.at < 120).toList();
        assertThat(requests.getFirst().at).isEqualTo(60);
        assertThat(requests.getFirst().destinationMac).containsExactly(SERVER_MAC);
        Sent rebind = requests.stream().filter(s -> s.at >= 105).findFirst().orElseThrow();
        assertThat(rebind.at).isEqualTo(105);
        assertThat(rebind.packet.destination()).isEqualTo(DhcpMessage.BROADCAST);
        // RFC 2131 §4.4.5: a retransmission waits half the remaining time, at least 60 s: none between 60 and 105.
        assertThat(requests.stream().filter(s -> s.at > 60 && s.at < 105)).isEmpty();
    }

    @Test
    void startsOverWhenTheServerRefusesARenewal() {
        network.nakRenewals = true;
        start();
        Eventually.within(Duration.ofSeconds(5), "bound again after the NAK", () -> events.size() >= 3);
        assertThat(List.copyOf(events).subList(0, 3)).containsExactly("bound 10.0.0.50/24 at +0",
                "lost 10.0.0.50/24 at +60: server refused renewal (DHCPNAK)", "bound 10.0.0.50/24 at +60");
    }

    @Test
    void releasesItsLeaseWhenStopped() throws InterruptedException {
        network.answerRenewals = false;
        network.holdTime = true;
        start();
        Eventually.within(Duration.ofSeconds(5), "bound", () -> !events.isEmpty());
        client.stop();
        thread.join(Duration.ofSeconds(5));
        client = null;

        Sent release = network.sent.getLast();
        assertThat(release.type).isEqualTo(DhcpMessageType.RELEASE);
        assertThat(release.destinationMac).containsExactly(SERVER_MAC);
        assertThat(release.message.clientAddress()).isEqualTo(v4("10.0.0.50"));
        assertThat(events.getLast()).startsWith("lost 10.0.0.50/24").endsWith("released");
        assertThat(network.closed).isTrue();
    }

    private record Sent(long at, DhcpMessageType type, DhcpMessage message, Ipv4UdpPacket packet, byte[] destinationMac) {
    }

    /** A scripted DHCP server on the other end of a packet socket, and the clock. */
    private static final class FakeNetwork implements PacketSocket, InstantSource {
        final List<Sent> sent = new CopyOnWriteArrayList<>();
        final Deque<byte[]> queue = new ArrayDeque<>();
        volatile Instant now = START;
        volatile boolean answerRenewals = true;
        volatile boolean nakRenewals;
        volatile boolean holdTime;
        volatile boolean closed;

        long elapsed() {
            return Duration.between(START, now).toSeconds();
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public synchronized void send(byte[] payload, byte[] destinationMac) {
            Ipv4UdpPacket packet = Ipv4UdpPacket.decode(payload);
            DhcpMessage m = DhcpMessage.decode(packet.payload());
            sent.add(new Sent(elapsed(), m.type(), m, packet, destinationMac));
            boolean renewal = !m.clientAddress().equals(DhcpMessage.ANY);
            switch (m.type()) {
                case DISCOVER -> queue.add(reply(m, DhcpMessageType.OFFER));
                case REQUEST -> {
                    if (renewal && nakRenewals) {
                        nakRenewals = false;
                        queue.add(reply(m, DhcpMessageType.NAK));
                    } else if (!renewal || answerRenewals) {
                        queue.add(reply(m, DhcpMessageType.ACK));
                    }
                }
                default -> {
                }
            }
        }

        private byte[] reply(DhcpMessage request, DhcpMessageType type) {
            List<DhcpOption> options = type == DhcpMessageType.NAK
                    ? List.of(DhcpOption.ofByte(DhcpOption.MESSAGE_TYPE, type.code()), new DhcpOption(DhcpOption.SERVER_ID, v4("10.0.0.1").getAddress()))
                    : List.of(DhcpOption.ofByte(DhcpOption.MESSAGE_TYPE, type.code()),
                    new DhcpOption(DhcpOption.SUBNET_MASK, new byte[] {-1, -1, -1, 0}),
                    new DhcpOption(DhcpOption.SERVER_ID, v4("10.0.0.1").getAddress()),
                    DhcpOption.ofInt(DhcpOption.LEASE_TIME, 120), DhcpOption.ofInt(DhcpOption.RENEWAL_TIME, 60));
            DhcpMessage m = new DhcpMessage(DhcpMessage.BOOTREPLY, request.xid(), 0, 0, DhcpMessage.ANY,
                    type == DhcpMessageType.NAK ? DhcpMessage.ANY : v4("10.0.0.50"), DhcpMessage.ANY, DhcpMessage.ANY,
                    CLIENT_MAC, options);
            return new Ipv4UdpPacket(v4("10.0.0.1"), DhcpMessage.BROADCAST, 67, 68, m.encode()).encode();
        }

        @Override
        public synchronized Optional<Frame> receive(Duration timeout) {
            if (!queue.isEmpty()) {
                return Optional.of(new Frame(queue.removeFirst(), SERVER_MAC, false));
            }
            if (holdTime) {
                try {
                    wait(Math.min(50, Math.max(1, timeout.toMillis())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                now = now.plus(timeout); // nothing will arrive: let the waited time pass at once
            }
            return Optional.empty();
        }

        @Override
        public byte[] hardwareAddress() {
            return CLIENT_MAC.clone();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
