package dev.basalt.machinery.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.CertificateAuthority;
import dev.basalt.machinery.pki.Fingerprints;
import dev.basalt.machinery.pki.KeyType;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MaintenanceTrustTest {
    private static final CertificateAndKey NODE = CertificateAuthority.create("node", List.of(), KeyType.ED25519,
            Duration.ofHours(1));
    private static final X509Certificate[] CHAIN = {NODE.certificate()};

    @Test
    void withoutPinAcceptsAnyCertificate() throws Exception {
        MaintenanceTrust.of(Optional.empty()).checkServerTrusted(CHAIN, "UNKNOWN");
    }

    @Test
    void pinMatchesIgnoringCaseAndColons() throws Exception {
        String hex = Fingerprints.sha256Hex(NODE.certificate());
        String colons = String.join(":", hex.toUpperCase().split("(?<=\\G..)"));
        MaintenanceTrust trust = MaintenanceTrust.of(Optional.of(colons));
        assertThat(trust.pinned()).contains(hex);
        trust.checkServerTrusted(CHAIN, "UNKNOWN");
    }

    @Test
    void wrongPinIsRefusedNamingBothFingerprints() {
        String wrong = "ab".repeat(32);
        assertThatThrownBy(() -> MaintenanceTrust.of(Optional.of(wrong)).checkServerTrusted(CHAIN, "UNKNOWN"))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining(Fingerprints.sha256Hex(NODE.certificate()))
                .hasMessageContaining("does not match --cert-fingerprint " + wrong);
    }

    @Test
    void malformedPinIsRejectedUpFront() {
        assertThatThrownBy(() -> MaintenanceTrust.of(Optional.of("xyz")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'xyz' is not a SHA-256 fingerprint; expected 64 hex digits");
    }
}
