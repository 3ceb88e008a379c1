package dev.basalt.machinery.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;

/**
 * The key algorithms Basalt issues. The OS CA and OS client certificates use Ed25519, the etcd, Kubernetes and
 * aggregator CAs ECDSA P-256 (the same choices Talos makes).
 */
public enum KeyType {
    ED25519("Ed25519", "Ed25519"),
    ECDSA_P256("EC", "SHA256withECDSA"),
    RSA_2048("RSA", "SHA256withRSA");

    private final String jcaAlgorithm;
    private final String signatureAlgorithm;

    KeyType(String jcaAlgorithm, String signatureAlgorithm) {
        this.jcaAlgorithm = jcaAlgorithm;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The JCA signature algorithm a key of this type signs certificates with. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    public KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(jcaAlgorithm);
            switch (this) {
                case ED25519 -> generator.initialize(255, random);
                case ECDSA_P256 -> generator.initialize(new ECGenParameterSpec("secp256r1"), random);
                case RSA_2048 -> generator.initialize(2048, random);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot generate a " + this + " key: " + e.getMessage(), e);
        }
    }

    /** The type of an existing public key; fails for algorithms Basalt does not sign with. */
    public static KeyType of(PublicKey key) {
        return switch (key) {
            case EdECPublicKey k when "Ed25519".equalsIgnoreCase(k.getParams().getName()) -> ED25519;
            case ECPublicKey k when k.getParams().getCurve().getField().getFieldSize() == 256 -> ECDSA_P256;
            case RSAPublicKey k -> RSA_2048;
            default -> throw new PkiException("unsupported key algorithm " + key.getAlgorithm()
                    + ": expected Ed25519, ECDSA P-256 or RSA");
        };
    }
}
