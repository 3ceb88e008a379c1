package dev.basalt.machinery.client;

import dev.basalt.machinery.pki.Fingerprints;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.net.Socket;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust for a node in maintenance mode, whose API certificate is self-signed: with no pin every server
 * certificate is accepted (talosctl's {@code --insecure}); with a pin ({@code --cert-fingerprint}) only a
 * certificate whose SHA-256 fingerprint matches is, and anything else fails the handshake with a message naming
 * both fingerprints.
 *
 * <p>An {@link X509ExtendedTrustManager}, so the JDK does not add host name checks of its own: the certificate
 * is self-signed and names no address, and the pin (or the explicit choice of no pin) is the whole check.
 *
 * <p>Immutable; thread-safe.
 */
public final class MaintenanceTrust extends X509ExtendedTrustManager {
    private final Optional<String> pinned;

    private MaintenanceTrust(Optional<String> pinned) {
        this.pinned = pinned;
    }

    /**
     * @param fingerprint SHA-256 hex of the expected certificate (colons and case ignored), or empty to accept any
     * @throws IllegalArgumentException when the fingerprint is not 64 hex digits
     */
    public static MaintenanceTrust of(Optional<String> fingerprint) {
        return new MaintenanceTrust(fingerprint.map(MaintenanceTrust::normalise));
    }

    static String normalise(String fingerprint) {
        String hex = fingerprint.replace(":", "").trim().toLowerCase(Locale.ROOT);
        if (hex.length() != 64 || !hex.chars().allMatch(HexFormat::isHexDigit)) {
            throw new IllegalArgumentException("certificate fingerprint '" + fingerprint
                    + "' is not a SHA-256 fingerprint; expected 64 hex digits (colons allowed)");
        }
        return hex;
    }

    public Optional<String> pinned() {
        return pinned;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the node presented no certificate");
        }
        if (pinned.isEmpty()) {
            return;
        }
        String actual = Fingerprints.sha256Hex(chain[0]);
        if (!actual.equals(pinned.get())) {
            throw new CertificateException("node certificate fingerprint " + actual
                    + " does not match --cert-fingerprint " + pinned.get());
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("maintenance trust verifies servers only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
