package dev.basalt.machined.maintenance;

import dev.basalt.machined.api.MachineApi;
import dev.basalt.machined.api.StateApi;
import dev.basalt.machined.api.StorageApi;
import dev.basalt.machinery.api.transport.TlsServer;
import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.CertificateAuthority;
import dev.basalt.machinery.pki.Fingerprints;
import dev.basalt.machinery.pki.KeyType;
import io.grpc.ServerInterceptors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The node API of a machine without a config: TLS with a certificate made at start and signed by itself (there
 * is no OS CA yet), no client certificates, and only the methods {@link MaintenanceAccess} lets through. The
 * console shows the certificate's SHA-256 fingerprint so that {@code basaltctl --insecure --cert-fingerprint FP}
 * can pin it. Calls run on virtual threads (applying a config or reading disks blocks).
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class MaintenanceServer implements AutoCloseable {
    /** The node API port, as apid's. */
    public static final int PORT = 50000;
    private static final int MAX_MESSAGE_BYTES = 32 << 20;

    private final TlsServer server;
    private final String fingerprint;

    private MaintenanceServer(TlsServer server, String fingerprint) {
        this.server = server;
        this.fingerprint = fingerprint;
    }

    /** Makes the self-signed certificate and serves {@code machine}, {@code storage} and {@code state} on {@code port}. */
    public static MaintenanceServer start(int port, MachineApi machine, StorageApi storage, StateApi state)
            throws IOException {
        // Ed25519 as the rest of the node API (Tls uses the JDK provider, which signs with it).
        CertificateAndKey identity = CertificateAuthority.create("basalt maintenance", List.of("basalt"),
                KeyType.ED25519, Duration.ofDays(1));
        MaintenanceAccess access = new MaintenanceAccess();
        TlsServer server = TlsServer.serverOnlyTls("maintenance API", new InetSocketAddress(port), identity)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .start((builder, group) -> {
                    builder.addService(ServerInterceptors.intercept(machine, access))
                            .addService(ServerInterceptors.intercept(storage, access))
                            .addService(ServerInterceptors.intercept(state, access));
                    return () -> { };
                });
        return new MaintenanceServer(server, Fingerprints.sha256Hex(identity.certificate()));
    }

    /** SHA-256 of the server certificate's DER encoding, lower-case hex. */
    public String fingerprint() {
        return fingerprint;
    }

    public int port() {
        return server.port();
    }

    /** Stops the server as {@link TlsServer#close()} does. */
    @Override
    public void close() {
        server.close();
    }
}
