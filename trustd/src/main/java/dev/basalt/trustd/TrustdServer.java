package dev.basalt.trustd;

import dev.basalt.machinery.api.transport.TlsServer;
import dev.basalt.machinery.pki.CertificateAndKey;
import io.grpc.ServerInterceptors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/**
 * trustd's endpoint: {@code securityapi.SecurityService} over TLS 1.3, server authentication only.
 * Signing is CPU work, so calls run on a pool sized to the cores rather than on the event loop; the running
 * {@link TlsServer} shuts that pool down after itself.
 *
 * <p>Stateless.
 */
public final class TrustdServer {
    private TrustdServer() {
    }

    public static TlsServer start(InetSocketAddress listen, CertificateAndKey identity, CertificateSigner signer)
            throws IOException {
        return TlsServer.serverOnlyTls("trustd", listen, identity)
                .eventLoopThreads(1)
                .executor(Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
                        Thread.ofPlatform().name("trustd-sign-", 0).daemon(true).factory()))
                .start((builder, group) -> {
                    builder.addService(ServerInterceptors.intercept(new SecurityApi(signer),
                            SecurityApi.tokenInterceptor()));
                    return () -> { };
                });
    }
}
