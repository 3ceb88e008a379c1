package dev.basalt.trustd;

import dev.basalt.machinery.api.transport.Tls;
import dev.basalt.machinery.api.transport.UnixSockets;
import dev.basalt.machinery.pki.CertificateAndKey;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * trustd's endpoint: {@code securityapi.SecurityService} over TLS 1.3, server authentication only.
 * Signing is CPU work, so calls run on a pool sized to the cores rather than on the event loop.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class TrustdServer implements AutoCloseable {
    private final Server server;
    private final EventLoopGroup group;
    private final ExecutorService executor;

    private TrustdServer(Server server, EventLoopGroup group, ExecutorService executor) {
        this.server = server;
        this.group = group;
        this.executor = executor;
    }

    public static TrustdServer start(InetSocketAddress listen, CertificateAndKey identity, CertificateSigner signer)
            throws IOException {
        EventLoopGroup group = UnixSockets.eventLoopGroup(1);
        ExecutorService executor = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
                Thread.ofPlatform().name("trustd-sign-", 0).daemon(true).factory());
        try {
            Server server = NettyServerBuilder.forAddress(listen)
                    .channelType(EpollServerSocketChannel.class)
                    .bossEventLoopGroup(group)
                    .workerEventLoopGroup(group)
                    .executor(executor)
                    .sslContext(Tls.serverOnly(identity))
                    .addService(ServerInterceptors.intercept(new SecurityApi(signer), SecurityApi.tokenInterceptor()))
                    .build()
                    .start();
            return new TrustdServer(server, group, executor);
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            executor.shutdownNow();
            throw new IOException("trustd cannot listen on " + listen + ": " + e.getMessage(), e);
        }
    }

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
        executor.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
