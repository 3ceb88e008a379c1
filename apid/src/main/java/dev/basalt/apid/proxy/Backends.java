package dev.basalt.apid.proxy;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoop;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The channels apid relays over: to the local machined (unix socket) and to each remote node's apid (mutual
 * TLS with apid's own certificate, created on first use and kept). A node naming this apid itself is served by
 * the local channels.
 *
 * <p>Every backend has one channel per event loop of apid's group, each bound to that loop. A call arriving on
 * loop L is relayed over the channel of loop L, so the caller's stream and the backend's stream live on the same
 * thread: no hand-off between threads and no wake-up per message in either direction, which is most of a small
 * call's cost in a relay.
 *
 * <p>Thread-safe.
 */
public final class Backends implements AutoCloseable {
    private final List<EventLoop> loops;
    private final List<ManagedChannel> local;
    private final Set<String> selfNames = ConcurrentHashMap.newKeySet();
    private final SslContext peerTls;
    private final ConcurrentMap<String, List<ManagedChannel>> remotes = new ConcurrentHashMap<>();

    /**
     * @param group     apid's event loops; every channel is bound to one of them
     * @param local     opens a channel to this node's machined on the given loop
     * @param selfNames node names meaning "this node" (normalized {@code host:port} targets)
     * @param peerTls   client TLS context used towards other apids
     */
    public Backends(EventLoopGroup group, Function<EventLoop, ManagedChannel> local, Set<String> selfNames,
                    SslContext peerTls) {
        List<EventLoop> all = new ArrayList<>();
        for (EventExecutor executor : group) {
            all.add((EventLoop) executor);
        }
        this.loops = List.copyOf(all);
        this.local = loops.stream().map(local).toList();
        this.selfNames.addAll(selfNames);
        this.peerTls = peerTls;
    }

    /** Adds a name meaning "this node" (e.g. the listen address once bound). */
    public void addSelf(NodeAddress node) {
        selfNames.add(node.target());
    }

    /** The channel to this node's machined on the calling thread's event loop (any one off the loops). */
    public ManagedChannel local() {
        return local.get(loopIndex());
    }

    /** True if {@code node} names this apid. */
    public boolean isSelf(NodeAddress node) {
        return selfNames.contains(node.target());
    }

    /** The channel to another node's apid on the calling thread's event loop. */
    public ManagedChannel remote(NodeAddress node) {
        return remotes.computeIfAbsent(node.target(), target -> loops.stream()
                .map(loop -> (ManagedChannel) NettyChannelBuilder.forTarget(target)
                        .channelType(EpollSocketChannel.class)
                        .eventLoopGroup(loop)
                        .negotiationType(NegotiationType.TLS)
                        .sslContext(peerTls)
                        .directExecutor()
                        // apid relays each call exactly once; a retry belongs to the caller, who sees the status
                        .disableRetry()
                        .maxInboundMessageSize(32 << 20)
                        .build())
                .toList()).get(loopIndex());
    }

    private int loopIndex() {
        for (int i = 0; i < loops.size(); i++) {
            if (loops.get(i).inEventLoop()) {
                return i;
            }
        }
        return 0;
    }

    @Override
    public void close() {
        List<ManagedChannel> all = new ArrayList<>(local);
        remotes.values().forEach(all::addAll);
        all.forEach(ManagedChannel::shutdownNow);
        try {
            for (ManagedChannel channel : all) {
                channel.awaitTermination(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
