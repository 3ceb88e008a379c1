package dev.basalt.apid;

import dev.basalt.machinery.api.Role;
import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.CertificateAuthority;
import dev.basalt.machinery.pki.ExtendedUsage;
import dev.basalt.machinery.pki.IssueRequest;
import dev.basalt.machinery.pki.KeyType;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/** One cluster's OS CA and the certificates tests need from it (plus a stranger CA). */
final class TestPki {
    final CertificateAuthority os;
    final CertificateAuthority foreign;
    final CertificateAndKey apid;

    TestPki() {
        os = new CertificateAuthority(CertificateAuthority.create("basalt-test", List.of("basalt"), KeyType.ED25519,
                Duration.ofDays(1)));
        foreign = new CertificateAuthority(CertificateAuthority.create("stranger", List.of("stranger"),
                KeyType.ED25519, Duration.ofDays(1)));
        apid = os.issue(IssueRequest.builder().commonName("apid").organization(Role.IMPERSONATOR.organization())
                .dnsName("localhost").ipAddress(InetAddress.getLoopbackAddress())
                .usage(ExtendedUsage.SERVER_AUTH).usage(ExtendedUsage.CLIENT_AUTH)
                .generateKey(KeyType.ED25519).validity(Duration.ofDays(1)).build());
    }

    /** A client certificate from the OS CA with the given roles. */
    CertificateAndKey client(Role... roles) {
        IssueRequest.Builder b = IssueRequest.builder().commonName("client").usage(ExtendedUsage.CLIENT_AUTH)
                .generateKey(KeyType.ED25519).validity(Duration.ofDays(1));
        for (Role r : roles) {
            b.organization(r.organization());
        }
        return os.issue(b.build());
    }

    /** An admin certificate from a CA the cluster does not trust. */
    CertificateAndKey foreignAdmin() {
        return foreign.issue(IssueRequest.builder().commonName("client").organization(Role.ADMIN.organization())
                .usage(ExtendedUsage.CLIENT_AUTH).generateKey(KeyType.ED25519).validity(Duration.ofDays(1)).build());
    }

    /** An admin certificate from the OS CA that lacks clientAuth (serverAuth only). */
    CertificateAndKey adminWithoutClientAuth() {
        return os.issue(IssueRequest.builder().commonName("client").organization(Role.ADMIN.organization())
                .usage(ExtendedUsage.SERVER_AUTH).generateKey(KeyType.ED25519).validity(Duration.ofDays(1)).build());
    }
}
