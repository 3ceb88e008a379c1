package dev.basalt.machinery.config;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A certificate authority (or identity) as Talos configs carry it: a base64-encoded PEM certificate and a
 * base64-encoded PEM private key. Either may be empty (a worker holds the CA certificate without its key).
 *
 * <pre>
 * ca:
 *   crt: LS0tLS1CRUdJTi...   # base64 of the PEM certificate
 *   key: LS0tLS1CRUdJTi...   # base64 of the PEM private key; empty on workers
 * </pre>
 *
 * <p>Immutable and thread-safe.
 */
public record CertificateAndKey(String crt, String key) {

    public static final CertificateAndKey NONE = new CertificateAndKey("", "");

    public CertificateAndKey {
        crt = crt == null ? "" : crt;
        key = key == null ? "" : key;
    }

    static CertificateAndKey from(TreeReader reader) {
        return new CertificateAndKey(reader.string("crt", ""), reader.string("key", ""));
    }

    public boolean hasCertificate() {
        return !crt.isEmpty();
    }

    public boolean hasKey() {
        return !key.isEmpty();
    }

    /** The certificate as PEM text (validation has already checked that it decodes). */
    public String certificatePem() {
        return new String(Base64.getDecoder().decode(crt.strip()), StandardCharsets.US_ASCII);
    }

    /** The private key as PEM text, or an empty string. */
    public String keyPem() {
        return key.isEmpty() ? "" : new String(Base64.getDecoder().decode(key.strip()), StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        // Keys are secrets: never let them reach a log line.
        return "CertificateAndKey[crt=" + (crt.isEmpty() ? "none" : crt.length() + " chars") + ", key="
                + (key.isEmpty() ? "none" : "redacted") + "]";
    }
}
