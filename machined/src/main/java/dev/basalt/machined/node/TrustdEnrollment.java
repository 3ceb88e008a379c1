package dev.basalt.machined.node;

import dev.basalt.machinery.api.MetadataKeys;
import dev.basalt.machinery.api.security.CertificateRequest;
import dev.basalt.machinery.api.security.CertificateResponse;
import dev.basalt.machinery.api.security.SecurityServiceGrpc;
import dev.basalt.machinery.api.transport.Tls;
import dev.basalt.machinery.pki.Csr;
import dev.basalt.machinery.pki.KeyType;
import dev.basalt.machinery.pki.Pem;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * How a worker gets apid's server certificate: it makes a key and a CSR (CN = hostname, SANs = its addresses and
 * hostname, no organization), sends it to trustd on a control-plane node ({@code securityapi.SecurityService/
 * Certificate} on :50001, TLS verified against the OS CA certificate from {@code machine.ca}, the cluster token
 * from {@code machine.token} in the {@code token} metadata), and retries until trustd answers: at boot the control
 * planes may still be starting.
 *
 * <p>Thread-safe; each {@link #enroll} call is independent.
 */
public final class TrustdEnrollment {
    private final String host;
    private final int port;
    private final X509Certificate osCa;
    private final String token;
    private final Duration callDeadline;
    private final Duration retryPause;

    public TrustdEnrollment(String host, int port, X509Certificate osCa, String token, Duration callDeadline,
                            Duration retryPause) {
        this.host = host;
        this.port = port;
        this.osCa = osCa;
        this.token = token;
        this.callDeadline = callDeadline;
        this.retryPause = retryPause;
    }

    /** What trustd signed: the issuing CA and the certificate, with the key made here. */
    public record Issued(String caPem, String certPem, String keyPem, X509Certificate certificate) {
    }

    /**
     * Asks trustd until it signs; {@code progress} hears about each failed attempt. Returns once issued; throws only
     * when interrupted or when trustd rejects the request for good (wrong token, invalid CSR): retrying cannot help.
     */
    public Issued enroll(NodeIdentity.Names names, Consumer<String> progress) throws InterruptedException,
            IOException {
        KeyPair keys = KeyType.ED25519.generate(new SecureRandom());
        Csr csr = Csr.generate(keys, names.hostname(), List.of(), names.dnsNames(), names.ips());
        ManagedChannel channel;
        try {
            channel = NettyChannelBuilder.forAddress(host, port).sslContext(Tls.client(Optional.empty(), osCa))
                    .build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IOException("cannot build the TLS context for trustd at " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of(MetadataKeys.TOKEN, Metadata.ASCII_STRING_MARSHALLER), token);
        try {
            int attempt = 0;
            while (true) {
                attempt++;
                try {
                    CertificateResponse r = SecurityServiceGrpc.newBlockingStub(channel)
                            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                            .withDeadlineAfter(callDeadline.toMillis(), TimeUnit.MILLISECONDS)
                            .certificate(CertificateRequest.newBuilder()
                                    .setCsr(ByteString.copyFrom(csr.pem(), StandardCharsets.US_ASCII)).build());
                    String certPem = r.getCrt().toString(StandardCharsets.US_ASCII);
                    X509Certificate cert = Pem.decodeCertificate(certPem);
                    verifyIssued(cert, keys);
                    return new Issued(r.getCa().toString(StandardCharsets.US_ASCII), certPem,
                            Pem.encodePrivateKey(keys.getPrivate()), cert);
                } catch (StatusRuntimeException e) {
                    switch (e.getStatus().getCode()) {
                        case PERMISSION_DENIED, INVALID_ARGUMENT, UNAUTHENTICATED -> throw new IOException(
                                "trustd at " + host + ":" + port + " refused the certificate request: "
                                        + e.getStatus().getCode() + " " + e.getStatus().getDescription()
                                        + " (check machine.token)");
                        default -> progress.accept("attempt " + attempt + ": trustd at " + host + ":" + port
                                + " did not answer: " + e.getStatus().getCode()
                                + (e.getStatus().getDescription() == null ? "" : " " + e.getStatus().getDescription()));
                    }
                }
                Thread.sleep(retryPause);
            }
        } finally {
            channel.shutdownNow();
        }
    }

    /** The signed certificate must certify our key and be issued by the OS CA we trust. */
    private void verifyIssued(X509Certificate cert, KeyPair keys) throws IOException {
        if (!cert.getPublicKey().equals(keys.getPublic())) {
            throw new IOException("trustd at " + host + ":" + port + " returned a certificate for another key");
        }
        try {
            cert.verify(osCa.getPublicKey());
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("trustd at " + host + ":" + port + " returned a certificate not signed by the OS CA "
                    + osCa.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }

    /** Writes the enrolled identity where apid reads it. */
    public static void write(Issued issued, Path apidDir) throws IOException {
        NodeIdentity.writeApid(apidDir, issued.caPem(), issued.certPem(), issued.keyPem());
    }
}
