package dev.basalt.apid;

import dev.basalt.apid.auth.Authorizer;
import dev.basalt.apid.proxy.Backends;
import dev.basalt.apid.proxy.NodeAddress;
import dev.basalt.apid.proxy.ProxyHandler;
import dev.basalt.apid.proxy.ProxyRegistry;
import dev.basalt.apid.proxy.RawMethods;
import dev.basalt.machinery.api.transport.PeerCertificates;
import dev.basalt.machinery.api.transport.Tls;
import dev.basalt.machinery.api.transport.UnixSockets;
import dev.basalt.machinery.pki.CertificateAndKey;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * apid: the node API on TCP with mutual TLS 1.3, authorized per method by role, relayed to this node's
 * machined or to other nodes' apids. It never parses the messages it relays.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class ApidServer implements AutoCloseable {
    private final Server server;
    private final Backends backends;
    private final EventLoopGroup group;

    /**
     * What apid needs to run.
     *
     * @param listen         address to listen on
     * @param machinedSocket this node's machined API socket
     * @param ca             the OS CA: client certificates and peer apids must chain to it
     * @param identity       apid's certificate (serverAuth for callers, clientAuth + os:impersonator for peers)
     * @param nodeTimeout    per-node deadline of fanned-out unary calls
     * @param advertised     extra names under which clients address this node (its listen address always counts)
     */
    public record Settings(InetSocketAddress listen, Path machinedSocket, X509Certificate ca,
                           CertificateAndKey identity, Duration nodeTimeout, List<String> advertised) {
        public Settings {
            advertised = List.copyOf(advertised);
        }
    }

    private ApidServer(Server server, Backends backends, EventLoopGroup group) {
        this.server = server;
        this.backends = backends;
        this.group = group;
    }

    public static ApidServer start(Settings settings) throws IOException {
        EventLoopGroup group = UnixSockets.eventLoopGroup(2);
        try {
            Set<String> self = new HashSet<>();
            for (String name : settings.advertised()) {
                self.add(NodeAddress.parse(name).target());
            }
            Backends backends = new Backends(group, loop -> UnixSockets.channelBuilder(settings.machinedSocket(), loop)
                    // relaying never blocks: callbacks run on the loop; one attempt per call, the caller retries
                    .directExecutor()
                    .disableRetry()
                    .maxInboundMessageSize(32 << 20)
                    .build(), self, Tls.client(Optional.of(settings.identity()), settings.ca()));
            ProxyHandler handler = new ProxyHandler(backends, settings.nodeTimeout());
            Server server = NettyServerBuilder.forAddress(settings.listen())
                    .channelType(EpollServerSocketChannel.class)
                    .bossEventLoopGroup(group)
                    .workerEventLoopGroup(group)
                    .sslContext(Tls.mutualServer(settings.identity(), settings.ca()))
                    // relaying never blocks, so calls run on the event loop without a hand-off
                    .directExecutor()
                    .maxInboundMessageSize(32 << 20)
                    .addTransportFilter(PeerCertificates.transportFilter())
                    .fallbackHandlerRegistry(new ProxyRegistry(RawMethods.nodeApi(), handler))
                    .intercept(new Authorizer())
                    .build()
                    .start();
            int port = ((InetSocketAddress) server.getListenSockets().getFirst()).getPort();
            backends.addSelf(new NodeAddress(settings.listen().getAddress().getHostAddress(), port));
            return new ApidServer(server, backends, group);
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IOException("apid cannot listen on " + settings.listen() + ": " + e.getMessage(), e);
        }
    }

    /** The bound port (useful when listening on port 0). */
    public int port() {
        return ((InetSocketAddress) server.getListenSockets().getFirst()).getPort();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        backends.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
