package dev.basalt.networkd.dhcp;

import dev.basalt.networkd.packet.Ipv4UdpPacket;
import dev.basalt.networkd.packet.MalformedPacketException;
import dev.basalt.networkd.packet.PacketSocket;

import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A DHCPv4 client for one interface (RFC 2131): discover, request, renew at T1 (unicast to the server), rebind at T2
 * (broadcast), give up at expiry, release on stop. It talks through a {@link PacketSocket} because it must speak
 * before the interface has an address; it installs nothing itself but reports leases to a {@link Listener}.
 *
 * <p>Time comes from an {@link InstantSource} and jitter from a {@link RandomGenerator}, both injected, so the
 * timers are tested without sleeping. {@link #run()} is the client's loop and belongs to one (virtual) thread;
 * {@link #stop()}, {@link #state()} and {@link #lease()} may be called from any thread.
 */
public final class DhcpClient implements Runnable {
    private static final Logger LOG = Logger.getLogger(DhcpClient.class.getName());
    private static final int CLIENT_PORT = 68;
    private static final int SERVER_PORT = 67;
    private static final byte[] BROADCAST_MAC = {-1, -1, -1, -1, -1, -1};
    /** How often the loop looks at the stop flag while it waits. */
    private static final Duration WAKE = Duration.ofMillis(250);
    private static final Duration MIN_RENEW_RETRY = Duration.ofSeconds(60);
    private static final int REQUEST_ATTEMPTS = 4;
    private static final byte[] PARAMETERS = {
            DhcpOption.SUBNET_MASK, DhcpOption.ROUTER, DhcpOption.DNS_SERVERS, DhcpOption.HOSTNAME,
            DhcpOption.DOMAIN_NAME, DhcpOption.INTERFACE_MTU, DhcpOption.BROADCAST, DhcpOption.NTP_SERVERS,
            DhcpOption.LEASE_TIME, DhcpOption.RENEWAL_TIME, DhcpOption.REBINDING_TIME, DhcpOption.DOMAIN_SEARCH,
            (byte) DhcpOption.CLASSLESS_STATIC_ROUTES};

    /** Told about lease changes, on the client's thread. */
    public interface Listener {
        /** A new or renewed lease; install its address, routes and resolvers. */
        void bound(DhcpLease lease);

        /** The lease ended (NAK, expiry, release); remove what {@link #bound} installed. */
        void lost(DhcpLease lease, String reason);
    }

    private final String interfaceName;
    private final PacketSocket socket;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final Listener listener;
    private final byte[] mac;
    private final Optional<String> hostname;

    private volatile boolean stopping;
    private volatile DhcpState state = DhcpState.INIT;
    private volatile DhcpLease lease;
    private byte[] serverMac = BROADCAST_MAC;
    private int xid;

    /**
     * @param interfaceName for log lines and errors
     * @param socket        an IPv4 ({@code 0x0800}) packet socket on the interface; the client closes it when done
     * @param hostname      sent as option 12 so the server can register it, when present
     */
    public DhcpClient(String interfaceName, PacketSocket socket, InstantSource clock, RandomGenerator random,
                      Listener listener, Optional<String> hostname) {
        this.interfaceName = interfaceName;
        this.socket = socket;
        this.clock = clock;
        this.random = random;
        this.listener = listener;
        this.mac = socket.hardwareAddress();
        this.hostname = hostname;
        if (mac.length != 6) {
            throw new IllegalArgumentException("DHCP on " + interfaceName + " needs a 6-byte Ethernet address, got "
                    + mac.length + " bytes");
        }
    }

    public DhcpState state() {
        return state;
    }

    public Optional<DhcpLease> lease() {
        return Optional.ofNullable(lease);
    }

    /** Asks the loop to release the lease and return; returns at once. */
    public void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        try {
            int discoverAttempt = 0;
            DhcpMessage offer = null;
            while (!stopping) {
                try {
                    switch (state) {
                        case INIT -> {
                            xid = random.nextInt();
                            serverMac = BROADCAST_MAC;
                            send(request(DhcpMessageType.DISCOVER, DhcpMessage.ANY, List.of()), DhcpMessage.ANY, DhcpMessage.BROADCAST);
                            state = DhcpState.SELECTING;
                            Instant deadline = clock.instant().plus(backoff(discoverAttempt++));
                            Optional<DhcpMessage> reply = await(deadline, m -> m.type() == DhcpMessageType.OFFER);
                            if (reply.isPresent()) {
                                offer = reply.get();
                                discoverAttempt = 0;
                                state = DhcpState.REQUESTING;
                            } else {
                                state = DhcpState.INIT;
                            }
                        }
                        case SELECTING -> state = DhcpState.INIT;
                        case REQUESTING -> {
                            state = requestOffered(offer);
                            offer = null;
                        }
                        case BOUND -> {
                            await(lease.renewAt(), m -> false);
                            if (!stopping) {
                                state = DhcpState.RENEWING;
                            }
                        }
                        case RENEWING -> state = extend(false);
                        case REBINDING -> state = extend(true);
                        case STOPPED -> stopping = true;
                    }
                } catch (IOException e) {
                    if (stopping) {
                        break;
                    }
                    // A send can fail while the link is down; wait and start over rather than die.
                    LOG.log(Level.WARNING, "DHCP on " + interfaceName + ": " + e.getMessage());
                    pauseAfterFailure();
                }
            }
            release();
        } finally {
            state = DhcpState.STOPPED;
            socket.close();
        }
    }

    private void pauseAfterFailure() {
        try {
            await(clock.instant().plusSeconds(2), m -> false);
        } catch (IOException e) {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
    }

    private DhcpState requestOffered(DhcpMessage offer) throws IOException {
        Inet4Address offered = offer.yourAddress();
        Optional<DhcpOption> serverId = offer.option(DhcpOption.SERVER_ID);
        if (serverId.isEmpty() || offered.equals(DhcpMessage.ANY)) {
            LOG.warning("DHCP on " + interfaceName + ": offer without server identifier or address; discovering again");
            return DhcpState.INIT;
        }
        for (int attempt = 0; attempt < REQUEST_ATTEMPTS && !stopping; attempt++) {
            Instant sent = clock.instant();
            send(request(DhcpMessageType.REQUEST, DhcpMessage.ANY, List.of(
                    new DhcpOption(DhcpOption.REQUESTED_ADDRESS, offered.getAddress()), serverId.get())),
                    DhcpMessage.ANY, DhcpMessage.BROADCAST);
            Optional<DhcpMessage> reply = await(sent.plus(backoff(attempt)),
                    m -> m.type() == DhcpMessageType.ACK || m.type() == DhcpMessageType.NAK);
            if (reply.isPresent()) {
                if (reply.get().type() == DhcpMessageType.NAK) {
                    return DhcpState.INIT;
                }
                return accept(reply.get(), sent);
            }
        }
        return DhcpState.INIT;
    }

    /** RENEWING (unicast to our server) or REBINDING (broadcast to any server) until an answer or the next phase. */
    private DhcpState extend(boolean rebinding) throws IOException {
        DhcpLease current = lease;
        Instant phaseEnd = rebinding ? current.expiresAt() : current.rebindAt();
        Instant now = clock.instant();
        if (!now.isBefore(phaseEnd)) {
            if (rebinding) {
                lose("lease expired");
                return DhcpState.INIT;
            }
            return DhcpState.REBINDING;
        }
        Inet4Address ours = (Inet4Address) current.address().address();
        Instant sent = now;
        if (rebinding) {
            send(request(DhcpMessageType.REQUEST, ours, List.of()), ours, DhcpMessage.BROADCAST);
        } else {
            send(request(DhcpMessageType.REQUEST, ours, List.of()), ours, current.server());
        }
        // RFC 2131 §4.4.5: retry after half the time left in this phase, but no sooner than 60 s.
        Duration half = Duration.between(now, phaseEnd).dividedBy(2);
        Instant retry = now.plus(half.compareTo(MIN_RENEW_RETRY) < 0 ? MIN_RENEW_RETRY : half);
        Instant deadline = retry.isBefore(phaseEnd) ? retry : phaseEnd;
        Optional<DhcpMessage> reply = await(deadline, m -> m.type() == DhcpMessageType.ACK || m.type() == DhcpMessageType.NAK);
        if (reply.isEmpty()) {
            return rebinding ? DhcpState.REBINDING : DhcpState.RENEWING;
        }
        if (reply.get().type() == DhcpMessageType.NAK) {
            lose("server refused renewal (DHCPNAK" + reply.get().option(DhcpOption.MESSAGE)
                    .map(o -> ": " + new String(o.value(), java.nio.charset.StandardCharsets.US_ASCII)).orElse("") + ")");
            return DhcpState.INIT;
        }
        return accept(reply.get(), sent);
    }

    private DhcpState accept(DhcpMessage ack, Instant sent) {
        DhcpLease next;
        try {
            next = DhcpLease.from(ack, sent);
        } catch (MalformedPacketException e) {
            LOG.warning("DHCP on " + interfaceName + ": unusable ACK: " + e.getMessage());
            return lease == null ? DhcpState.INIT : state;
        }
        DhcpLease previous = lease;
        if (previous != null && !previous.address().equals(next.address())) {
            lose("server assigned a different address " + next.address());
        }
        lease = next;
        LOG.info("DHCP on " + interfaceName + ": bound to " + next.address() + " from " + next.server().getHostAddress()
                + " for " + next.leaseTime().toSeconds() + " s");
        listener.bound(next);
        return DhcpState.BOUND;
    }

    private void lose(String reason) {
        DhcpLease previous = lease;
        lease = null;
        if (previous != null) {
            LOG.info("DHCP on " + interfaceName + ": lost " + previous.address() + ": " + reason);
            listener.lost(previous, reason);
        }
    }

    private void release() {
        DhcpLease current = lease;
        if (current == null) {
            return;
        }
        try {
            Inet4Address ours = (Inet4Address) current.address().address();
            xid = random.nextInt();
            send(request(DhcpMessageType.RELEASE, ours, List.of(
                    new DhcpOption(DhcpOption.SERVER_ID, current.server().getAddress()))), ours, current.server());
        } catch (IOException e) {
            LOG.warning("DHCP on " + interfaceName + ": could not send release: " + e.getMessage());
        }
        lose("released");
    }

    /** RFC 2131 §4.1: 4 s doubling to 64 s, randomised by ±1 s. */
    private Duration backoff(int attempt) {
        long seconds = Math.min(64, 4L << Math.min(attempt, 4));
        long jitterMillis = random.nextLong(-1000, 1001);
        return Duration.ofMillis(seconds * 1000 + jitterMillis);
    }

    private DhcpMessage request(DhcpMessageType type, Inet4Address ciaddr, List<DhcpOption> extra) {
        List<DhcpOption> options = new ArrayList<>();
        options.add(DhcpOption.ofByte(DhcpOption.MESSAGE_TYPE, type.code()));
        byte[] clientId = new byte[7];
        clientId[0] = 1; // hardware type Ethernet, then the MAC (RFC 2132 §9.14)
        System.arraycopy(mac, 0, clientId, 1, 6);
        options.add(new DhcpOption(DhcpOption.CLIENT_ID, clientId));
        options.addAll(extra);
        if (type != DhcpMessageType.RELEASE) {
            options.add(DhcpOption.ofShort(DhcpOption.MAX_MESSAGE_SIZE, 1500));
            options.add(new DhcpOption(DhcpOption.PARAMETER_REQUEST_LIST, PARAMETERS));
            hostname.ifPresent(h -> options.add(new DhcpOption(DhcpOption.HOSTNAME,
                    h.getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
        }
        return new DhcpMessage(DhcpMessage.BOOTREQUEST, xid, 0, 0, ciaddr, DhcpMessage.ANY, DhcpMessage.ANY,
                DhcpMessage.ANY, mac, options);
    }

    private void send(DhcpMessage message, Inet4Address source, Inet4Address destination) throws IOException {
        byte[] frame = new Ipv4UdpPacket(source, destination, CLIENT_PORT, SERVER_PORT, message.encode()).encode();
        socket.send(frame, destination.equals(DhcpMessage.BROADCAST) ? BROADCAST_MAC : serverMac);
    }

    /** Waits until {@code deadline} for a reply to our current transaction that {@code wanted} accepts. */
    private Optional<DhcpMessage> await(Instant deadline, Predicate<DhcpMessage> wanted) throws IOException {
        while (!stopping) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return Optional.empty();
            }
            Optional<PacketSocket.Frame> frame = socket.receive(left.compareTo(WAKE) < 0 ? left : WAKE);
            if (frame.isEmpty()) {
                continue;
            }
            Optional<DhcpMessage> reply = parse(frame.get());
            if (reply.isPresent() && wanted.test(reply.get())) {
                serverMac = frame.get().sourceMac().length == 6 ? frame.get().sourceMac() : BROADCAST_MAC;
                return reply;
            }
        }
        return Optional.empty();
    }

    /** A DHCP reply for our transaction and hardware address, or empty for anything else (including garbage). */
    Optional<DhcpMessage> parse(PacketSocket.Frame frame) {
        try {
            Ipv4UdpPacket udp = Ipv4UdpPacket.decode(frame.payload());
            if (udp.destinationPort() != CLIENT_PORT || udp.sourcePort() != SERVER_PORT) {
                return Optional.empty();
            }
            DhcpMessage m = DhcpMessage.decode(udp.payload());
            if (m.op() != DhcpMessage.BOOTREPLY || m.xid() != xid
                    || !Arrays.equals(m.clientHardwareAddress(), 0, Math.min(6, m.clientHardwareAddress().length), mac, 0, 6)) {
                return Optional.empty();
            }
            m.type(); // a reply without a valid type is garbage to us
            return Optional.of(m);
        } catch (MalformedPacketException e) {
            LOG.fine(() -> "DHCP on " + interfaceName + ": dropped malformed packet: " + e.getMessage());
            return Optional.empty();
        }
    }
}
