package dev.basalt.networkd.sntp;

import dev.basalt.networkd.packet.MalformedPacketException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * An SNTP client (RFC 4330): one request, one reply, offset and delay from the four timestamps.
 *
 * <p>The transmit timestamp carries random low bits so a reply is accepted only when it echoes them (RFC 4330 §5
 * protection against stray or spoofed replies); the true send time is kept locally. Stateless between queries and
 * thread-safe.
 */
public final class SntpClient implements TimeSync.Query {
    /** Opens UDP channels; tests open them inside a network namespace. */
    @FunctionalInterface
    public interface Channels {
        DatagramChannel open() throws IOException;
    }

    private final Channels channels;
    private final SystemClock clock;
    private final RandomGenerator random;

    public SntpClient(Channels channels, SystemClock clock, RandomGenerator random) {
        this.channels = channels;
        this.clock = clock;
        this.random = random;
    }

    /** Queries {@code server}; empty when no valid reply arrives within {@code timeout}. */
    @Override
    public Optional<SntpMeasurement> query(InetSocketAddress server, Duration timeout) throws IOException {
        try (DatagramChannel channel = channels.open(); Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            channel.connect(server);
            channel.register(selector, SelectionKey.OP_READ);
            Instant t1 = clock.now();
            long nonce = NtpTimestamp.fromInstant(t1) ^ (random.nextLong() & 0xffffL);
            channel.write(ByteBuffer.wrap(NtpPacket.request(nonce).encode()));
            long deadline = System.nanoTime() + timeout.toNanos();
            ByteBuffer buffer = ByteBuffer.allocate(512);
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return Optional.empty();
                }
                selector.select(left);
                selector.selectedKeys().clear();
                buffer.clear();
                int n;
                try {
                    n = channel.read(buffer);
                } catch (java.net.PortUnreachableException e) {
                    return Optional.empty();
                }
                if (n <= 0) {
                    continue;
                }
                Instant t4 = clock.now();
                byte[] data = new byte[n];
                buffer.flip().get(data);
                Optional<SntpMeasurement> m = evaluate(server, data, nonce, t1, t4);
                if (m.isPresent()) {
                    return m;
                }
            }
        }
    }

    /** Validates a reply to the request sent at {@code t1} with {@code nonce}, received at {@code t4}. */
    static Optional<SntpMeasurement> evaluate(InetSocketAddress server, byte[] data, long nonce, Instant t1, Instant t4) {
        NtpPacket reply;
        try {
            reply = NtpPacket.decode(data);
        } catch (MalformedPacketException e) {
            return Optional.empty();
        }
        // RFC 4330 §5: server mode, our nonce echoed, a usable stratum (0 is a kiss-o'-death), a set transmit time,
        // and not "alarm" (clock not synchronised).
        if (reply.mode() != NtpPacket.MODE_SERVER || reply.originateTimestamp() != nonce || reply.stratum() == 0
                || reply.stratum() > 15 || reply.transmitTimestamp() == 0 || reply.leap() == 3) {
            return Optional.empty();
        }
        Instant t2 = NtpTimestamp.toInstant(reply.receiveTimestamp());
        Instant t3 = NtpTimestamp.toInstant(reply.transmitTimestamp());
        Duration offset = Duration.between(t1, t2).plus(Duration.between(t4, t3)).dividedBy(2);
        Duration delay = Duration.between(t1, t4).minus(Duration.between(t2, t3));
        return Optional.of(new SntpMeasurement(server, offset, delay.isNegative() ? Duration.ZERO : delay, reply.stratum()));
    }
}
