package dev.basalt.machinery.api.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Empty;
import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import dev.basalt.machinery.api.machine.Version;
import dev.basalt.machinery.api.machine.VersionInfo;
import dev.basalt.machinery.api.machine.VersionResponse;
import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.CertificateAuthority;
import dev.basalt.machinery.pki.ExtendedUsage;
import dev.basalt.machinery.pki.IssueRequest;
import dev.basalt.machinery.pki.KeyType;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsServerTest {
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private CertificateAuthority ca;
    private CertificateAndKey serverIdentity;

    @BeforeAll
    void pki() throws Exception {
        ca = new CertificateAuthority(CertificateAuthority.create("os", List.of("basalt"), KeyType.ED25519,
                Duration.ofDays(1)));
        serverIdentity = issue("server", ExtendedUsage.SERVER_AUTH);
    }

    @Test
    void mutualTlsServesOnlyClientsWithAClientAuthCertificateFromTheCa() throws Exception {
        try (TlsServer server = TlsServer.mutualTls("apid", ANY_LOOPBACK_PORT, serverIdentity, ca.certificate())
                .eventLoopThreads(2)
                .directExecutor()
                .start((builder, group) -> {
                    builder.addService(new VersionOnly());
                    return () -> { };
                })) {
            assertThat(version(server, Optional.of(issue("admin", ExtendedUsage.CLIENT_AUTH)))).isEqualTo("v-test");
            assertThatThrownBy(() -> version(server, Optional.empty()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            assertThatThrownBy(() -> version(server, Optional.of(issue("other-server", ExtendedUsage.SERVER_AUTH))))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        }
    }

    @Test
    void serverOnlyTlsServesClientsWithoutACertificate() throws Exception {
        try (TlsServer server = TlsServer.serverOnlyTls("trustd", ANY_LOOPBACK_PORT, serverIdentity)
                .start((builder, group) -> {
                    builder.addService(new VersionOnly());
                    return () -> { };
                })) {
            assertThat(version(server, Optional.empty())).isEqualTo("v-test");
        }
    }

    @Test
    void closeReleasesTheServicesAndTheExecutorAfterTheServer() throws Exception {
        AtomicBoolean servicesClosed = new AtomicBoolean();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        TlsServer server = TlsServer.serverOnlyTls("trustd", ANY_LOOPBACK_PORT, serverIdentity)
                .executor(executor)
                .start((builder, group) -> {
                    builder.addService(new VersionOnly());
                    return () -> servicesClosed.set(true);
                });
        assertThat(version(server, Optional.empty())).isEqualTo("v-test");
        server.close();
        assertThat(servicesClosed).isTrue();
        assertThat(executor.isShutdown()).isTrue();
    }

    @Test
    void aFailedStartNamesTheDaemonAndAddressAndReleasesWhatWasInstalled() throws Exception {
        AtomicBoolean servicesClosed = new AtomicBoolean();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort());
            assertThatThrownBy(() -> TlsServer.serverOnlyTls("trustd", listen, serverIdentity)
                    .executor(executor)
                    .start((builder, group) -> () -> servicesClosed.set(true)))
                    .hasMessageStartingWith("trustd cannot listen on " + listen + ": ");
        }
        assertThat(servicesClosed).isTrue();
        assertThat(executor.isShutdown()).isTrue();
    }

    private CertificateAndKey issue(String name, ExtendedUsage usage) {
        return ca.issue(IssueRequest.builder().commonName(name).ipAddress(InetAddress.getLoopbackAddress())
                .usage(usage).generateKey(KeyType.ED25519).validity(Duration.ofDays(1)).build());
    }

    private String version(TlsServer server, Optional<CertificateAndKey> client) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forTarget("127.0.0.1:" + server.port())
                .negotiationType(NegotiationType.TLS).sslContext(Tls.client(client, ca.certificate())).build();
        try {
            return MachineServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .version(Empty.getDefaultInstance()).getMessages(0).getVersion().getTag();
        } finally {
            channel.shutdownNow();
        }
    }

    private static final class VersionOnly extends MachineServiceGrpc.MachineServiceImplBase {
        @Override
        public void version(Empty request, StreamObserver<VersionResponse> out) {
            out.onNext(VersionResponse.newBuilder().addMessages(Version.newBuilder()
                    .setVersion(VersionInfo.newBuilder().setTag("v-test"))).build());
            out.onCompleted();
        }
    }
}
