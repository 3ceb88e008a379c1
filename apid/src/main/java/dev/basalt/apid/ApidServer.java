package dev.basalt.apid;

import dev.basalt.apid.auth.Authorizer;
import dev.basalt.apid.proxy.Backends;
import dev.basalt.apid.proxy.NodeAddress;
import dev.basalt.apid.proxy.ProxyHandler;
import dev.basalt.apid.proxy.ProxyRegistry;
import dev.basalt.apid.proxy.RawMethods;
import dev.basalt.machinery.api.transport.PeerCertificates;
import dev.basalt.machinery.api.transport.Tls;
import dev.basalt.machinery.api.transport.TlsServer;
import dev.basalt.machinery.api.transport.UnixSockets;
import dev.basalt.machinery.pki.CertificateAndKey;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * apid: the node API on TCP with mutual TLS 1.3, authorized per method by role, relayed to this node's
 * machined or to other nodes' apids. It never parses the messages it relays. {@link #start} returns the running
 * {@link TlsServer}, which closes the relay's channels after its last call.
 *
 * <p>Stateless.
 */
public final class ApidServer {
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

    private ApidServer() {
    }

    public static TlsServer start(Settings settings) throws IOException {
        Relay relay = new Relay(settings);
        TlsServer server = TlsServer.mutualTls("apid", settings.listen(), settings.identity(), settings.ca())
                .eventLoopThreads(2)
                // relaying never blocks, so calls run on the event loop without a hand-off
                .directExecutor()
                .maxInboundMessageSize(32 << 20)
                .start(relay);
        relay.backends.addSelf(new NodeAddress(settings.listen().getAddress().getHostAddress(), server.port()));
        return server;
    }

    /** The relay installed on the server: its backends share the server's event loops. */
    private static final class Relay implements TlsServer.Services {
        private final Settings settings;
        private Backends backends;

        Relay(Settings settings) {
            this.settings = settings;
        }

        @Override
        public AutoCloseable install(NettyServerBuilder server, EventLoopGroup group) throws IOException {
            Set<String> self = new HashSet<>();
            for (String name : settings.advertised()) {
                self.add(NodeAddress.parse(name).target());
            }
            backends = new Backends(group, loop -> UnixSockets.channelBuilder(settings.machinedSocket(), loop)
                    // relaying never blocks: callbacks run on the loop; one attempt per call, the caller retries
                    .directExecutor()
                    .disableRetry()
                    .maxInboundMessageSize(32 << 20)
                    .build(), self, Tls.client(Optional.of(settings.identity()), settings.ca()));
            server.addTransportFilter(PeerCertificates.transportFilter())
                    .fallbackHandlerRegistry(new ProxyRegistry(RawMethods.nodeApi(),
                            new ProxyHandler(backends, settings.nodeTimeout())))
                    .intercept(new Authorizer());
            return backends;
        }
    }
}
