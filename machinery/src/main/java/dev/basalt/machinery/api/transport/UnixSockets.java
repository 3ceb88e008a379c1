package dev.basalt.machinery.api.transport;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * gRPC over unix domain sockets (netty's epoll transport, bundled in grpc-netty-shaded): how machined serves
 * its API to apid on the same node, without TLS — the socket's file permissions are the access control.
 *
 * <p>Stateless; thread-safe.
 */
public final class UnixSockets {
    private UnixSockets() {
    }

    /**
     * A server builder listening on {@code socket}; a stale socket file left by a previous run is removed
     * first. The caller adds services and starts it.
     *
     * @param group event loop group for accepting and serving (shut it down after the server)
     */
    public static NettyServerBuilder serverBuilder(Path socket, EventLoopGroup group) throws IOException {
        Files.createDirectories(socket.toAbsolutePath().getParent());
        Files.deleteIfExists(socket);
        return NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(group)
                .workerEventLoopGroup(group);
    }

    /** A plaintext channel to the server on {@code socket}. */
    public static ManagedChannel channel(Path socket, EventLoopGroup group) {
        return channelBuilder(socket, group).build();
    }

    /**
     * A builder of a plaintext channel to the server on {@code socket}, for callers that tune it further (a relay
     * runs callbacks on the event loop and disables retries).
     */
    public static NettyChannelBuilder channelBuilder(Path socket, EventLoopGroup group) {
        return NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(group)
                .negotiationType(NegotiationType.PLAINTEXT)
                // the authority is a placeholder: there is no host name on a unix socket
                .overrideAuthority("localhost");
    }

    /** An epoll event loop group with {@code threads} threads (daemon). */
    public static EventLoopGroup eventLoopGroup(int threads) {
        return new EpollEventLoopGroup(threads);
    }
}
