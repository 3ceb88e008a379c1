package dev.basalt.machined.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.CertificateAuthority;
import dev.basalt.machinery.pki.KeyType;
import dev.basalt.machinery.pki.Pem;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {
    @TempDir
    Path dir;

    private final CertificateAndKey osCa = CertificateAuthority.create("basalt", List.of("basalt"), KeyType.ED25519,
            Duration.ofDays(1));
    private final NodeIdentity.Names names = new NodeIdentity.Names("cp1",
            List.of(InetAddress.ofLiteral("10.5.0.2")), List.of("api.example.org", "192.0.2.7"));

    @Test
    void apidCertificateOfAControlPlaneImpersonatesAndNamesTheNode() throws Exception {
        NodeIdentity.issueApid(osCa, names, dir);
        X509Certificate cert = Pem.decodeCertificate(Files.readString(dir.resolve("apid.crt")));
        assertThat(cert.getSubjectX500Principal().getName()).contains("CN=cp1", "O=os:impersonator");
        assertThat(cert.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(cert.getSubjectAlternativeNames()).extracting(l -> l.get(1).toString())
                .contains("cp1", "localhost", "api.example.org", "10.5.0.2", "192.0.2.7", "127.0.0.1");
        cert.verify(osCa.certificate().getPublicKey());
        assertThat(Files.readString(dir.resolve("ca.crt"))).isEqualTo(osCa.certPem());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("apid.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void trustdIdentityHoldsTheCaKeyTokenAndAServerOnlyCertificate() throws Exception {
        NodeIdentity.issueTrustd(osCa, names, "abcdef.0123456789abcdef", dir);
        X509Certificate cert = Pem.decodeCertificate(Files.readString(dir.resolve("trustd.crt")));
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(Files.readString(dir.resolve("token")).strip()).isEqualTo("abcdef.0123456789abcdef");
        assertThat(Files.readString(dir.resolve("ca.key"))).isEqualTo(osCa.keyPem());
        for (String secret : List.of("ca.key", "token", "trustd.key")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(secret))))
                    .as(secret).isEqualTo("rw-------");
        }
    }
}
