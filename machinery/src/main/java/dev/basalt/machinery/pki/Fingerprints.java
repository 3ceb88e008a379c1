package dev.basalt.machinery.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** Certificate fingerprints as printed on the console and accepted by {@code --cert-fingerprint}. */
public final class Fingerprints {
    private Fingerprints() {
    }

    /** Lower-case hex SHA-256 of the DER certificate. */
    public static String sha256Hex(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new PkiException("cannot fingerprint certificate: " + e.getMessage(), e);
        }
    }
}
