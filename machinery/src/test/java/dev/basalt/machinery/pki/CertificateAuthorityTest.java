package dev.basalt.machinery.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {
    private final SecureRandom random = new SecureRandom();

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void issuesLeafThatChainsToTheCa(KeyType type) throws Exception {
        CertificateAndKey ca = CertificateAuthority.create("test-ca", List.of("basalt"), type, Duration.ofDays(10));
        CertificateAndKey leaf = new CertificateAuthority(ca).issue(IssueRequest.builder()
                .commonName("node1").dnsName("node1.example").ipAddress(InetAddress.getByName("10.5.0.2"))
                .usage(ExtendedUsage.SERVER_AUTH).generateKey(type).build());

        var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf.certificate()));
        var params = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(path, params);

        assertThat(leaf.certificate().getExtendedKeyUsage()).containsExactly(ExtendedUsage.SERVER_AUTH.oid());
        assertThat(leaf.certificate().getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.certificate().getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1))
                .containsExactlyInAnyOrder((Object) "node1.example", "10.5.0.2");
        assertThat(KeyType.of(leaf.certificate().getPublicKey())).isEqualTo(type);
    }

    @Test
    void pemRoundTripKeepsCertificateAndKey() throws Exception {
        for (KeyType type : KeyType.values()) {
            CertificateAndKey ca = CertificateAuthority.create("ca", List.of(), type, Duration.ofDays(1));
            CertificateAndKey back = CertificateAndKey.fromPem(ca.certPem(), ca.keyPem());
            assertThat(back.certificate()).isEqualTo(ca.certificate());
            var signer = java.security.Signature.getInstance(type.signatureAlgorithm());
            signer.initSign(back.requireKey());
            signer.update(new byte[] {1, 2, 3});
            byte[] signature = signer.sign();
            var verifier = java.security.Signature.getInstance(type.signatureAlgorithm());
            verifier.initVerify(ca.certificate().getPublicKey());
            verifier.update(new byte[] {1, 2, 3});
            assertThat(verifier.verify(signature)).as("key read back from PEM signs for %s", type).isTrue();
        }
    }

    @Test
    void readsEd25519KeyUnderTalosLabel() {
        CertificateAndKey ca = CertificateAuthority.create("ca", List.of(), KeyType.ED25519, Duration.ofDays(1));
        String talosStyle = ca.keyPem().replace("PRIVATE KEY", "ED25519 PRIVATE KEY");
        assertThat(Pem.decodePrivateKey(talosStyle).getEncoded()).isEqualTo(ca.requireKey().getEncoded());
    }

    @Test
    void csrRoundTripCarriesNamesAndKey() throws Exception {
        KeyPair keys = KeyType.ECDSA_P256.generate(random);
        Csr csr = Csr.generate(keys, "worker-1", List.of("os:admin"), List.of("worker-1"),
                List.of(InetAddress.getByName("10.5.0.3")));
        Csr parsed = Csr.parse(csr.pem().getBytes(StandardCharsets.US_ASCII));
        assertThat(parsed.commonName()).isEqualTo("worker-1");
        assertThat(parsed.organizations()).containsExactly("os:admin");
        assertThat(parsed.dnsNames()).containsExactly("worker-1");
        assertThat(parsed.ipAddresses()).containsExactly(InetAddress.getByName("10.5.0.3"));
        assertThat(parsed.publicKey()).isEqualTo(keys.getPublic());
    }

    @Test
    void rejectsMalformedCsrWithClearError() {
        assertThatThrownBy(() -> Csr.parse("garbage".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(PkiException.class).hasMessageContaining("malformed certificate request");
        assertThatThrownBy(() -> Csr.parse(new byte[0])).isInstanceOf(PkiException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Csr.parse("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"
                .getBytes(StandardCharsets.US_ASCII))).isInstanceOf(PkiException.class);
    }

    @Test
    void refusesToSignWithANonCaCertificate() {
        CertificateAndKey ca = CertificateAuthority.create("ca", List.of(), KeyType.ED25519, Duration.ofDays(1));
        CertificateAndKey leaf = new CertificateAuthority(ca).issue(IssueRequest.builder().commonName("leaf").build());
        assertThatThrownBy(() -> new CertificateAuthority(leaf)).isInstanceOf(PkiException.class)
                .hasMessageContaining("not a CA certificate");
    }
}
