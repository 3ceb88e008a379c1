package dev.basalt.trustd;

import dev.basalt.machinery.api.transport.TlsServer;
import dev.basalt.machinery.pki.CertificateAndKey;
import io.grpc.ServerInterceptors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/**
 * trustd's endpoint: {@code securityapi.SecurityService} over TLS 1.3, server authentication only.
 * Signing is CPU work, so calls run on a pool sized to the cores rather than on the event loop.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class TrustdServer implements AutoCloseable {
    private final TlsServer server;

    private TrustdServer(TlsServer server) {
        this.server = server;
    }

    public static TrustdServer start(InetSocketAddress listen, CertificateAndKey identity, CertificateSigner signer)
            throws IOException {
        TlsServer server = TlsServer.serverOnlyTls("trustd", listen, identity)
                .eventLoopThreads(1)
                .executor(Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
                        Thread.ofPlatform().name("trustd-sign-", 0).daemon(true).factory()))
                .start((builder, group) -> {
                    builder.addService(ServerInterceptors.intercept(new SecurityApi(signer),
                            SecurityApi.tokenInterceptor()));
                    return () -> { };
                });
        return new TrustdServer(server);
    }

    public int port() {
        return server.port();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() {
        server.close();
    }
}
