package dev.basalt.networkd.packet;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * A link-layer datagram socket bound to one interface and one EtherType ({@code AF_PACKET}, {@code SOCK_DGRAM}): the
 * kernel adds and strips the Ethernet header; we send and receive the payload (an IPv4 packet, an ARP packet).
 *
 * <p>The DHCP client needs it because it talks before the interface has an address; the VIP controller needs it for
 * gratuitous ARP. Implementations are thread-safe and {@link #close()} may be called from any thread.
 */
public interface PacketSocket extends AutoCloseable {

    /** Sends {@code payload} in a frame to {@code destinationMac} (6 bytes). */
    void send(byte[] payload, byte[] destinationMac) throws IOException;

    /** Waits up to {@code timeout} for the next frame not sent by this host; empty on timeout or once closed. */
    Optional<Frame> receive(Duration timeout) throws IOException;

    /** This interface's hardware address (6 bytes). */
    byte[] hardwareAddress();

    @Override
    void close();

    /** One received frame's payload, the sender's hardware address, and whether it was addressed to us. */
    record Frame(byte[] payload, byte[] sourceMac, boolean broadcast) {
        public Frame {
            payload = payload.clone();
            sourceMac = sourceMac.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public byte[] sourceMac() {
            return sourceMac.clone();
        }
    }

    /** Opens packet sockets; lets tests open them inside another network namespace. */
    @FunctionalInterface
    interface Factory {
        /** Opens a socket on interface {@code interfaceIndex} for {@code etherType} (e.g. 0x0800 IPv4, 0x0806 ARP). */
        PacketSocket open(int interfaceIndex, int etherType) throws IOException;
    }
}
