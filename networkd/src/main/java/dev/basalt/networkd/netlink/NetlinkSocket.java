package dev.basalt.networkd.netlink;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * A datagram socket speaking {@code NETLINK_ROUTE}: the kernel boundary of the rtnetlink client.
 *
 * <p>One implementation talks to the kernel through {@code java.lang.foreign}; tests may supply fakes. Implementations
 * are thread-safe: one thread may receive while another sends, and {@link #close()} may be called from any thread
 * (a blocked {@link #receive} then returns within a bounded time).
 */
public interface NetlinkSocket extends AutoCloseable {

    /** Sends one datagram (one or more netlink messages) to the kernel. */
    void send(byte[] datagram) throws IOException;

    /**
     * Waits up to {@code timeout} for the next datagram; empty on timeout or once closed.
     *
     * @throws NetlinkOverrunException when the kernel dropped messages for this socket; the socket stays usable
     */
    Optional<byte[]> receive(Duration timeout) throws IOException;

    /** The port id the kernel assigned to this socket; replies to our requests carry it. */
    int portId();

    @Override
    void close();

    /** Opens netlink sockets; lets tests open them inside another network namespace. */
    @FunctionalInterface
    interface Factory {
        /**
         * Opens a socket subscribed to {@code multicastGroups} (a bit mask of {@code RTMGRP_*} values; 0 for a
         * request/response socket).
         */
        NetlinkSocket open(int multicastGroups) throws IOException;
    }
}
