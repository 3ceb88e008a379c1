package dev.basalt.apid.proxy;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The channels apid relays over: one to the local machined (unix socket), and one per remote node's apid
 * (mutual TLS with apid's own certificate), created on first use and kept. A node naming this apid itself
 * is served by the local channel.
 *
 * <p>Thread-safe.
 */
public final class Backends implements AutoCloseable {
    private final ManagedChannel local;
    private final Set<String> selfNames = ConcurrentHashMap.newKeySet();
    private final SslContext peerTls;
    private final EventLoopGroup group;
    private final ConcurrentMap<String, ManagedChannel> remotes = new ConcurrentHashMap<>();

    /**
     * @param local     channel to this node's machined
     * @param selfNames node names meaning "this node" (normalized {@code host:port} targets)
     * @param peerTls   client TLS context used towards other apids
     * @param group     event loop for remote channels
     */
    public Backends(ManagedChannel local, Set<String> selfNames, SslContext peerTls, EventLoopGroup group) {
        this.local = local;
        this.selfNames.addAll(selfNames);
        this.peerTls = peerTls;
        this.group = group;
    }

    /** Adds a name meaning "this node" (e.g. the listen address once bound). */
    public void addSelf(NodeAddress node) {
        selfNames.add(node.target());
    }

    public ManagedChannel local() {
        return local;
    }

    /** True if {@code node} names this apid. */
    public boolean isSelf(NodeAddress node) {
        return selfNames.contains(node.target());
    }

    /** The channel to another node's apid. */
    public ManagedChannel remote(NodeAddress node) {
        return remotes.computeIfAbsent(node.target(), target -> NettyChannelBuilder.forTarget(target)
                .channelType(EpollSocketChannel.class)
                .eventLoopGroup(group)
                .negotiationType(NegotiationType.TLS)
                .sslContext(peerTls)
                .directExecutor()
                .maxInboundMessageSize(32 << 20)
                .build());
    }

    @Override
    public void close() {
        for (ManagedChannel channel : remotes.values()) {
            channel.shutdownNow();
        }
        local.shutdownNow();
        try {
            for (ManagedChannel channel : remotes.values()) {
                channel.awaitTermination(1, TimeUnit.SECONDS);
            }
            local.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
