package dev.basalt.machinery.api.transport;

import dev.basalt.machinery.pki.CertificateAndKey;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS settings of the node API: TLS 1.3 only, certificates chained to one CA, and on the mutual-TLS server
 * an explicit check that the client certificate carries ExtKeyUsage clientAuth.
 *
 * <p>Stateless; thread-safe. The returned contexts are thread-safe and meant to be shared.
 */
public final class Tls {
    /** RFC 5280 id-kp-clientAuth. */
    public static final String CLIENT_AUTH_OID = "1.3.6.1.5.5.7.3.2";
    /** RFC 5280 id-kp-serverAuth. */
    public static final String SERVER_AUTH_OID = "1.3.6.1.5.5.7.3.1";
    private static final String TLS13 = "TLSv1.3";
    /**
     * The JDK's TLS stack, not netty's bundled BoringSSL: BoringSSL neither offers nor accepts Ed25519
     * signatures by default, and the OS CA and its client certificates are Ed25519 (as in Talos).
     */
    private static final SslProvider PROVIDER = SslProvider.JDK;

    private Tls() {
    }

    /** apid's server side: client certificate required, chained to {@code ca}, with clientAuth. */
    public static SslContext mutualServer(CertificateAndKey identity, X509Certificate ca) throws SSLException {
        return GrpcSslContexts.configure(SslContextBuilder.forServer(identity.requireKey(), identity.certificate()), PROVIDER)
                .protocols(TLS13)
                .clientAuth(ClientAuth.REQUIRE)
                .trustManager(new ClientAuthTrustManager(pkix(ca)))
                .build();
    }

    /** trustd's server side: server authentication only; callers prove themselves with a token. */
    public static SslContext serverOnly(CertificateAndKey identity) throws SSLException {
        return GrpcSslContexts.configure(SslContextBuilder.forServer(identity.requireKey(), identity.certificate()), serverProvider(identity))
                .protocols(TLS13)
                .clientAuth(ClientAuth.NONE)
                .build();
    }

    /**
     * The provider for a server that does not verify client certificates: netty's BoringSSL when it is available
     * and the server's own key is ECDSA or RSA (it signs the handshake natively; clients verify the Ed25519 chain
     * themselves), else the JDK's. BoringSSL through netty fails the handshake (internal_error) with an Ed25519
     * server key, even with the JDK signing for it.
     */
    static SslProvider serverProvider(CertificateAndKey identity) {
        String algorithm = identity.requireKey().getAlgorithm();
        boolean boringSsl = ("EC".equals(algorithm) || "RSA".equals(algorithm)) && OpenSsl.isAvailable();
        return boringSsl ? SslProvider.OPENSSL : PROVIDER;
    }

    /**
     * A client context trusting {@code ca} for the server, presenting {@code identity} when given.
     */
    public static SslContext client(Optional<CertificateAndKey> identity, X509Certificate ca) throws SSLException {
        SslContextBuilder builder = GrpcSslContexts.configure(SslContextBuilder.forClient(), PROVIDER).protocols(TLS13).trustManager(ca);
        identity.ifPresent(id -> builder.keyManager(id.requireKey(), id.certificate()));
        return builder.build();
    }

    private static X509TrustManager pkix(X509Certificate ca) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("no X509TrustManager from " + factory.getAlgorithm());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a trust store for CA "
                    + ca.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Delegates chain validation to PKIX and then insists on clientAuth in the leaf's ExtKeyUsage, so a
     * server certificate from the same CA cannot be used to call the API.
     */
    static final class ClientAuthTrustManager implements X509TrustManager {
        private final X509TrustManager delegate;

        ClientAuthTrustManager(X509TrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("no client certificate presented");
            }
            delegate.checkClientTrusted(chain, authType);
            List<String> usages = chain[0].getExtendedKeyUsage();
            if (usages == null || !usages.contains(CLIENT_AUTH_OID)) {
                throw new CertificateException("client certificate " + chain[0].getSubjectX500Principal()
                        + " lacks ExtKeyUsage clientAuth (" + CLIENT_AUTH_OID + "); has " + usages);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
