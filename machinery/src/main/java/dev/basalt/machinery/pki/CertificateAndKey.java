package dev.basalt.machinery.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * A certificate and, when the holder has it, its private key (a worker knows the OS CA certificate but not its
 * key). Immutable.
 */
public record CertificateAndKey(X509Certificate certificate, Optional<PrivateKey> key) {
    public CertificateAndKey {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
    }

    public CertificateAndKey(X509Certificate certificate, PrivateKey key) {
        this(certificate, Optional.of(key));
    }

    public static CertificateAndKey certificateOnly(X509Certificate certificate) {
        return new CertificateAndKey(certificate, Optional.empty());
    }

    public String certPem() {
        return Pem.encodeCertificate(certificate);
    }

    /** The key as PEM; fails when this value holds no key. */
    public String keyPem() {
        return Pem.encodePrivateKey(requireKey());
    }

    public PrivateKey requireKey() {
        return key.orElseThrow(() -> new PkiException(
                "no private key for certificate " + certificate.getSubjectX500Principal().getName()));
    }

    /** Parses a certificate and an optional key ({@code keyPem} may be null or blank). */
    public static CertificateAndKey fromPem(String certPem, String keyPem) {
        X509Certificate certificate = Pem.decodeCertificate(certPem);
        if (keyPem == null || keyPem.isBlank()) {
            return certificateOnly(certificate);
        }
        PrivateKey key = Pem.decodePrivateKey(keyPem);
        if (!key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())
                && !(key.getAlgorithm().startsWith("Ed") && certificate.getPublicKey().getAlgorithm().startsWith("Ed"))) {
            throw new PkiException("private key algorithm " + key.getAlgorithm() + " does not match certificate key "
                    + certificate.getPublicKey().getAlgorithm());
        }
        return new CertificateAndKey(certificate, key);
    }
}
