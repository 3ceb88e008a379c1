package dev.basalt.machinery.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.machinery.pki.ExtendedUsage;
import dev.basalt.machinery.pki.KeyType;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SecretsBundleTest {
    private static final SecretsBundle BUNDLE = SecretsBundle.generate();

    @Test
    void generatesTheCaKeyTypesTalosUses() {
        assertThat(KeyType.of(BUNDLE.osCa().certificate().getPublicKey())).isEqualTo(KeyType.ED25519);
        assertThat(KeyType.of(BUNDLE.etcdCa().certificate().getPublicKey())).isEqualTo(KeyType.ECDSA_P256);
        assertThat(KeyType.of(BUNDLE.kubernetesCa().certificate().getPublicKey())).isEqualTo(KeyType.ECDSA_P256);
        assertThat(KeyType.of(BUNDLE.aggregatorCa().certificate().getPublicKey())).isEqualTo(KeyType.ECDSA_P256);
        assertThat(BUNDLE.bootstrapToken()).matches(Tokens.TOKEN);
        assertThat(BUNDLE.trustdToken()).matches(Tokens.TOKEN);
    }

    @Test
    void yamlRoundTripIsLossless() {
        SecretsBundle back = SecretsBundle.parse(BUNDLE.toYaml(), "secrets.yaml");
        assertThat(back.toYaml()).isEqualTo(BUNDLE.toYaml());
        assertThat(back.osCa().certificate()).isEqualTo(BUNDLE.osCa().certificate());
    }

    @Test
    void writesTalosSecretsLayout() {
        assertThat(BUNDLE.toYaml()).contains("cluster:\n    id: ", "secrets:\n    bootstraptoken: ",
                "secretboxencryptionsecret: ", "trustdinfo:\n    token: ", "certs:\n    etcd:\n        crt: ",
                "k8saggregator:", "k8sserviceaccount:\n        key: ", "    os:\n");
    }

    @Test
    void reportsEveryBadFieldByPath() {
        String broken = BUNDLE.toYaml()
                .replace("bootstraptoken: " + BUNDLE.bootstrapToken(), "bootstraptoken: nope")
                .replaceFirst("(?m)^(    os:\n        crt: )\\S+", "$1not*base64");
        assertThatThrownBy(() -> SecretsBundle.parse(broken, "bad.yaml"))
                .isInstanceOfSatisfying(SecretsException.class, e -> assertThat(e.problems()).containsExactly(
                        "secrets.bootstraptoken: token must match [a-z0-9]{6}.[a-z0-9]{16}",
                        "certs.os: crt/key not valid base64"))
                .hasMessageStartingWith("bad.yaml: invalid secrets bundle");
        assertThatThrownBy(() -> SecretsBundle.parse("cluster: [", "x.yaml")).isInstanceOf(SecretsException.class)
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> SecretsBundle.parse("- 1", "x.yaml")).isInstanceOf(SecretsException.class);
    }

    @Test
    void adminCertificateCarriesRoleAndClientAuth() throws Exception {
        var admin = BUNDLE.issueClientCertificate("admin", "os:admin", Duration.ofDays(1), new SecureRandom(), Clock.systemUTC());
        assertThat(admin.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=admin,O=os:admin");
        assertThat(admin.certificate().getExtendedKeyUsage()).containsExactly(ExtendedUsage.CLIENT_AUTH.oid());
        admin.certificate().verify(BUNDLE.osCa().certificate().getPublicKey());
    }
}
