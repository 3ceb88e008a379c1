package dev.basalt.trustd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.basalt.machinery.api.MetadataKeys;
import dev.basalt.machinery.api.security.CertificateRequest;
import dev.basalt.machinery.api.security.CertificateResponse;
import dev.basalt.machinery.api.security.SecurityServiceGrpc;
import dev.basalt.machinery.api.transport.PeerCertificates;
import dev.basalt.machinery.api.transport.Tls;
import dev.basalt.machinery.api.transport.TlsServer;
import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.CertificateAuthority;
import dev.basalt.machinery.pki.Csr;
import dev.basalt.machinery.pki.ExtendedUsage;
import dev.basalt.machinery.pki.IssueRequest;
import dev.basalt.machinery.pki.KeyType;
import dev.basalt.machinery.pki.Pem;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrustdTest {
    private static final String TOKEN = "abcdef.0123456789abcdef";
    private CertificateAuthority ca;
    private TlsServer server;
    private ManagedChannel channel;

    @BeforeAll
    void start() throws Exception {
        ca = new CertificateAuthority(CertificateAuthority.create("os", List.of("basalt"), KeyType.ED25519,
                Duration.ofDays(1)));
        // a P-256 server key: TLS through netty's BoringSSL (an Ed25519 one takes the JDK's, tested below)
        server = start(KeyType.ECDSA_P256);
        channel = NettyChannelBuilder.forTarget("127.0.0.1:" + server.port()).negotiationType(NegotiationType.TLS)
                .sslContext(Tls.client(Optional.empty(), ca.certificate())).build();
    }

    @AfterAll
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
    }

    private TlsServer start(KeyType serverKey) throws Exception {
        CertificateAndKey identity = ca.issue(IssueRequest.builder().commonName("trustd")
                .ipAddress(InetAddress.getLoopbackAddress()).usage(ExtendedUsage.SERVER_AUTH)
                .generateKey(serverKey).validity(Duration.ofDays(1)).build());
        return TrustdServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), identity,
                new CertificateSigner(ca, TOKEN, Duration.ofHours(1)));
    }

    private SecurityServiceGrpc.SecurityServiceBlockingStub stub(String token) {
        return stub(channel, token);
    }

    private static SecurityServiceGrpc.SecurityServiceBlockingStub stub(ManagedChannel channel, String token) {
        var stub = SecurityServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        if (token == null) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of(MetadataKeys.TOKEN, Metadata.ASCII_STRING_MARSHALLER), token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static byte[] csr(List<String> organizations) {
        var keys = KeyType.ED25519.generate(new SecureRandom());
        return Csr.generate(keys, "worker-1", organizations, List.of("worker-1"),
                List.of(InetAddress.getLoopbackAddress())).pem().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void rightTokenGetsAServerAuthCertificateWithoutOrganizationThatOpensslVerifies(@TempDir Path dir)
            throws Exception {
        CertificateResponse reply = stub(TOKEN).certificate(CertificateRequest.newBuilder()
                .setCsr(ByteString.copyFrom(csr(List.of("os:admin", "system:masters")))).build());
        X509Certificate crt = Pem.decodeCertificate(reply.getCrt().toString(StandardCharsets.US_ASCII));
        assertThat(crt.getExtendedKeyUsage()).containsExactly(Tls.SERVER_AUTH_OID);
        assertThat(PeerCertificates.organizations(crt.getSubjectX500Principal())).isEmpty();
        assertThat(crt.getSubjectX500Principal().getName()).contains("CN=worker-1");
        assertThat(reply.getCa().toString(StandardCharsets.US_ASCII)).isEqualTo(Pem.encodeCertificate(ca.certificate()));

        Files.write(dir.resolve("ca.crt"), reply.getCa().toByteArray());
        Files.write(dir.resolve("node.crt"), reply.getCrt().toByteArray());
        Process openssl = new ProcessBuilder("openssl", "verify", "-purpose", "sslserver", "-CAfile",
                dir.resolve("ca.crt").toString(), dir.resolve("node.crt").toString()).redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(output).isZero();
        assertThat(output).contains(": OK");
    }

    @Test
    void wrongOrMissingTokenIsPermissionDenied() {
        CertificateRequest request = CertificateRequest.newBuilder().setCsr(ByteString.copyFrom(csr(List.of())))
                .build();
        assertThatThrownBy(() -> stub("abcdef.wrong").certificate(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThatThrownBy(() -> stub(null).certificate(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).contains("token");
                });
    }

    @Test
    void malformedCsrIsInvalidArgumentAndTheServerKeepsServing() {
        for (byte[] bad : List.of(new byte[0], "not a csr".getBytes(StandardCharsets.US_ASCII),
                "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"
                        .getBytes(StandardCharsets.US_ASCII), new byte[]{0x30, (byte) 0x82, 0x7f})) {
            assertThatThrownBy(() -> stub(TOKEN).certificate(CertificateRequest.newBuilder()
                    .setCsr(ByteString.copyFrom(bad)).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }
        assertThat(stub(TOKEN).certificate(CertificateRequest.newBuilder()
                .setCsr(ByteString.copyFrom(csr(List.of()))).build()).getCrt().isEmpty()).isFalse();
    }

    @Test
    void servesWithAnEd25519ServerKeyThroughTheJdkProvider() throws Exception {
        try (TlsServer ed25519 = start(KeyType.ED25519)) {
            ManagedChannel other = NettyChannelBuilder.forTarget("127.0.0.1:" + ed25519.port())
                    .negotiationType(NegotiationType.TLS).sslContext(Tls.client(Optional.empty(), ca.certificate()))
                    .build();
            try {
                CertificateResponse reply = stub(other, TOKEN).certificate(CertificateRequest.newBuilder()
                        .setCsr(ByteString.copyFrom(csr(List.of()))).build());
                assertThat(Pem.decodeCertificate(reply.getCrt().toString(StandardCharsets.US_ASCII))
                        .getExtendedKeyUsage()).containsExactly(Tls.SERVER_AUTH_OID);
            } finally {
                other.shutdownNow();
            }
        }
    }
}
