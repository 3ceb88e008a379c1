package dev.basalt.machinery.pki;

import org.bouncycastle.asn1.x509.KeyPurposeId;

/** TLS extended key usages a leaf certificate may carry (RFC 5280 section 4.2.1.12). */
public enum ExtendedUsage {
    SERVER_AUTH(KeyPurposeId.id_kp_serverAuth),
    CLIENT_AUTH(KeyPurposeId.id_kp_clientAuth);

    private final KeyPurposeId purpose;

    ExtendedUsage(KeyPurposeId purpose) {
        this.purpose = purpose;
    }

    KeyPurposeId purpose() {
        return purpose;
    }

    /** The dotted OID, as {@code X509Certificate.getExtendedKeyUsage()} reports it. */
    public String oid() {
        return purpose.getId();
    }
}
