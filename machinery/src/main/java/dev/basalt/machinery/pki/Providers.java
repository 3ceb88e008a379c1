package dev.basalt.machinery.pki;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.spec.PKCS8EncodedKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The Bouncy Castle provider used for certificate signing and request verification. Its Ed25519 is several times
 * faster than the JDK's, which decides how many certificates trustd signs per second. The provider is passed
 * explicitly to the builders that sign and verify, never installed JVM-wide, so TLS keeps the JDK's providers.
 * Thread-safe.
 */
final class Providers {
    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    private Providers() {
    }

    static Provider bouncyCastle() {
        return BOUNCY_CASTLE;
    }

    /** The same private key as a Bouncy Castle key object, so signing stays inside the provider. */
    static PrivateKey forSigning(PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EdDSA", "Ed25519" -> "Ed25519";
            case "EC", "ECDSA" -> "EC";
            default -> key.getAlgorithm();
        };
        try {
            return KeyFactory.getInstance(algorithm, BOUNCY_CASTLE).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot load " + key.getAlgorithm() + " private key for signing: " + e.getMessage(), e);
        }
    }
}
