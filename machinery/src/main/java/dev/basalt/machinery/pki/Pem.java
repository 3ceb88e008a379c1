package dev.basalt.machinery.pki;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * PEM encoding and decoding of certificates and private keys.
 *
 * <p>Keys are written the way the Go and OpenSSL ecosystems read them: Ed25519 as PKCS#8 {@code PRIVATE KEY},
 * EC as SEC1 {@code EC PRIVATE KEY}, RSA as PKCS#1 {@code RSA PRIVATE KEY}. Reading accepts those plus PKCS#8
 * under any {@code ... PRIVATE KEY} label (Talos writes {@code ED25519 PRIVATE KEY}). Stateless; thread-safe.
 */
public final class Pem {
    private Pem() {
    }

    public static String encodeCertificate(X509Certificate certificate) {
        try {
            return encode("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateException e) {
            throw new PkiException("cannot encode certificate " + certificate.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }

    public static String encodePrivateKey(PrivateKey key) {
        byte[] pkcs8 = key.getEncoded();
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(pkcs8);
            return switch (key) {
                case ECPrivateKey ec -> {
                    // SEC1 with the curve named inside, as OpenSSL and Go write it.
                    var inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
                    ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
                    var sec1 = inner.getPublicKey() == null
                            ? new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(), curve)
                            : new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(), inner.getPublicKey(), curve);
                    yield encode("EC PRIVATE KEY", sec1.getEncoded());
                }
                case RSAPrivateCrtKey rsa -> encode("RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded());
                default -> encode("PRIVATE KEY", pkcs8);
            };
        } catch (IOException | IllegalArgumentException e) {
            throw new PkiException("cannot encode " + key.getAlgorithm() + " private key: " + e.getMessage(), e);
        }
    }

    public static String encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** The first certificate in {@code pem}. */
    public static X509Certificate decodeCertificate(String pem) {
        List<X509Certificate> all = decodeCertificates(pem);
        if (all.isEmpty()) {
            throw new PkiException("no CERTIFICATE block found in PEM data");
        }
        return all.getFirst();
    }

    public static List<X509Certificate> decodeCertificates(String pem) {
        List<X509Certificate> out = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (PemObject object = reader.readPemObject(); object != null; object = reader.readPemObject()) {
                if (object.getType().equals("CERTIFICATE")) {
                    out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(object.getContent())));
                }
            }
        } catch (IOException | CertificateException | IllegalArgumentException e) {
            throw new PkiException("invalid certificate PEM: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Reads the first private key block: PKCS#8 under any {@code ... PRIVATE KEY} label, SEC1 {@code EC PRIVATE
     * KEY}, or PKCS#1 {@code RSA PRIVATE KEY}.
     */
    public static PrivateKey decodePrivateKey(String pem) {
        PemObject object;
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            object = reader.readPemObject();
        } catch (IOException | IllegalArgumentException e) {
            throw new PkiException("invalid private key PEM: " + e.getMessage(), e);
        }
        if (object == null || !object.getType().endsWith("PRIVATE KEY")) {
            throw new PkiException("no PRIVATE KEY block found in PEM data");
        }
        try {
            PrivateKeyInfo info = switch (object.getType()) {
                case "EC PRIVATE KEY" -> {
                    var sec1 = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(object.getContent());
                    if (sec1.getParametersObject() == null) {
                        throw new PkiException("EC PRIVATE KEY does not name its curve");
                    }
                    yield new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                            sec1.getParametersObject()), sec1);
                }
                case "RSA PRIVATE KEY" -> new PrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption,
                        DERNull.INSTANCE), org.bouncycastle.asn1.pkcs.RSAPrivateKey.getInstance(object.getContent()));
                default -> PrivateKeyInfo.getInstance(object.getContent());
            };
            String algorithm = switch (info.getPrivateKeyAlgorithm().getAlgorithm().getId()) {
                case "1.3.101.112" -> "Ed25519";
                case "1.2.840.10045.2.1" -> "EC";
                case "1.2.840.113549.1.1.1" -> "RSA";
                default -> throw new PkiException("unsupported private key algorithm "
                        + info.getPrivateKeyAlgorithm().getAlgorithm().getId() + ": expected Ed25519, EC or RSA");
            };
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (PkiException e) {
            throw e;
        } catch (IOException | IllegalArgumentException | IllegalStateException | ClassCastException
                 | java.security.GeneralSecurityException e) {
            throw new PkiException("invalid " + object.getType() + ": " + e.getMessage(), e);
        }
    }
}
