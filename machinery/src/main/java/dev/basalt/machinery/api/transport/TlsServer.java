package dev.basalt.machinery.api.transport;

import dev.basalt.machinery.pki.CertificateAndKey;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * A gRPC server on TCP behind TLS 1.3 ({@link Tls}), on netty's epoll transport: how the node's daemons (apid,
 * trustd) listen. The client-authentication rule is chosen by the factory: {@link #mutualTls} requires a client
 * certificate chained to a CA with clientAuth, {@link #serverOnlyTls} authenticates the server only.
 *
 * <p>The server owns its event loop group, the executor calls run on (when one is given) and whatever the
 * daemon's {@link Services} hand back; {@link #close()} stops the server first and then releases those, and a
 * failed start releases them before it throws.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class TlsServer implements AutoCloseable {
    private final Server server;
    private final EventLoopGroup group;
    private final Optional<ExecutorService> executor;
    private final AutoCloseable services;

    private TlsServer(Server server, EventLoopGroup group, Optional<ExecutorService> executor,
                      AutoCloseable services) {
        this.server = server;
        this.group = group;
        this.executor = executor;
        this.services = services;
    }

    /**
     * A server that requires a client certificate chained to {@code ca} with ExtKeyUsage clientAuth.
     *
     * @param name     the daemon, for error messages
     * @param identity the server's certificate and key
     */
    public static Builder mutualTls(String name, InetSocketAddress listen, CertificateAndKey identity,
                                    X509Certificate ca) {
        return new Builder(name, listen, () -> Tls.mutualServer(identity, ca));
    }

    /** A server that authenticates itself only; callers prove who they are some other way (a token). */
    public static Builder serverOnlyTls(String name, InetSocketAddress listen, CertificateAndKey identity) {
        return new Builder(name, listen, () -> Tls.serverOnly(identity));
    }

    /** The bound port (useful when listening on port 0). */
    public int port() {
        return ((InetSocketAddress) server.getListenSockets().getFirst()).getPort();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops accepting calls, gives running calls 2 s, then releases the services, the executor and the loops. */
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
        release(services, executor, group, 1);
    }

    private static void release(AutoCloseable services, Optional<ExecutorService> executor, EventLoopGroup group,
                                long quietSeconds) {
        try {
            services.close();
        } catch (Exception e) {
            // releasing must go on: the loops and threads below would otherwise outlive the server
            System.err.println("[basalt] closing a server's services failed: " + e);
        } finally {
            executor.ifPresent(ExecutorService::shutdownNow);
            group.shutdownGracefully(0, quietSeconds, TimeUnit.SECONDS);
        }
    }

    /**
     * What a daemon serves: adds its services, interceptors and filters to {@code server}. {@code group} is the
     * server's event loop group, for channels that should share its threads. What it returns is closed after the
     * server stops (before the group shuts down).
     */
    @FunctionalInterface
    public interface Services {
        AutoCloseable install(NettyServerBuilder server, EventLoopGroup group) throws IOException;
    }

    /** Builds and starts a {@link TlsServer}. Not thread-safe; use once. */
    public static final class Builder {
        private final String name;
        private final InetSocketAddress listen;
        private final TlsContext tls;
        private int eventLoopThreads = 1;
        private Optional<ExecutorService> executor = Optional.empty();
        private boolean directExecutor;
        private int maxInboundMessageSize;

        private Builder(String name, InetSocketAddress listen, TlsContext tls) {
            this.name = Objects.requireNonNull(name, "name");
            this.listen = Objects.requireNonNull(listen, "listen");
            this.tls = tls;
        }

        /** Threads accepting connections and serving them (default 1). */
        public Builder eventLoopThreads(int threads) {
            if (threads <= 0) {
                throw new IllegalArgumentException(name + ": event loop threads must be positive, got " + threads);
            }
            this.eventLoopThreads = threads;
            return this;
        }

        /** Runs calls on {@code executor}, which the server then owns and shuts down after itself. */
        public Builder executor(ExecutorService executor) {
            this.executor = Optional.of(executor);
            this.directExecutor = false;
            return this;
        }

        /** Runs calls on the event loop without a hand-off: only for handlers that never block. */
        public Builder directExecutor() {
            this.directExecutor = true;
            this.executor = Optional.empty();
            return this;
        }

        /** The largest message a caller may send (default: gRPC's 4 MiB). */
        public Builder maxInboundMessageSize(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException(name + ": max inbound message size must be positive, got "
                        + bytes);
            }
            this.maxInboundMessageSize = bytes;
            return this;
        }

        /**
         * Installs {@code services} and starts listening.
         *
         * @throws IOException naming the daemon and the address when the TLS context, the services or the
         *                     socket cannot be set up; everything created so far is released
         */
        public TlsServer start(Services services) throws IOException {
            EventLoopGroup group = UnixSockets.eventLoopGroup(eventLoopThreads);
            AutoCloseable installed = () -> { };
            try {
                NettyServerBuilder builder = NettyServerBuilder.forAddress(listen)
                        .channelType(EpollServerSocketChannel.class)
                        .bossEventLoopGroup(group)
                        .workerEventLoopGroup(group)
                        .sslContext(tls.create());
                if (directExecutor) {
                    builder.directExecutor();
                }
                executor.ifPresent(builder::executor);
                if (maxInboundMessageSize > 0) {
                    builder.maxInboundMessageSize(maxInboundMessageSize);
                }
                installed = services.install(builder, group);
                Server server = builder.build().start();
                return new TlsServer(server, group, executor, installed);
            } catch (IOException | RuntimeException e) {
                release(installed, executor, group, 0);
                throw new IOException(name + " cannot listen on " + listen + ": " + e.getMessage(), e);
            }
        }
    }

    /** Creates the server's TLS context when the server starts, so a bad key fails the start. */
    @FunctionalInterface
    private interface TlsContext {
        SslContext create() throws SSLException;
    }
}
