package dev.basalt.machinery.secrets;

import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.CertificateAuthority;
import dev.basalt.machinery.pki.ExtendedUsage;
import dev.basalt.machinery.pki.IssueRequest;
import dev.basalt.machinery.pki.KeyType;
import dev.basalt.machinery.pki.Pem;
import dev.basalt.machinery.pki.PkiException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Everything a cluster's configs are generated from: cluster identity, tokens, and the certificate authorities.
 * Stored as YAML in the layout of Talos' {@code secrets.yaml}, so a bundle made by either tool loads in the other:
 *
 * <pre>
 * cluster: {id: BASE64, secret: BASE64}
 * secrets: {bootstraptoken: TOKEN, secretboxencryptionsecret: BASE64}
 * trustdinfo: {token: TOKEN}
 * certs:
 *   etcd: {crt: BASE64(PEM), key: BASE64(PEM)}
 *   k8s: {crt, key}
 *   k8saggregator: {crt, key}
 *   k8sserviceaccount: {key}
 *   os: {crt, key}
 * </pre>
 *
 * Immutable.
 */
public record SecretsBundle(
        String clusterId,
        String clusterSecret,
        String bootstrapToken,
        String secretboxEncryptionSecret,
        String trustdToken,
        CertificateAndKey etcdCa,
        CertificateAndKey kubernetesCa,
        CertificateAndKey aggregatorCa,
        PrivateKey serviceAccountKey,
        CertificateAndKey osCa) {

    /** CA lifetime, as Talos issues them (87600h). */
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);

    public SecretsBundle {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(clusterSecret, "clusterSecret");
        Objects.requireNonNull(bootstrapToken, "bootstrapToken");
        Objects.requireNonNull(secretboxEncryptionSecret, "secretboxEncryptionSecret");
        Objects.requireNonNull(trustdToken, "trustdToken");
        Objects.requireNonNull(etcdCa, "etcdCa");
        Objects.requireNonNull(kubernetesCa, "kubernetesCa");
        Objects.requireNonNull(aggregatorCa, "aggregatorCa");
        Objects.requireNonNull(serviceAccountKey, "serviceAccountKey");
        Objects.requireNonNull(osCa, "osCa");
    }

    public static SecretsBundle generate() {
        return generate(new SecureRandom(), Clock.systemUTC());
    }

    public static SecretsBundle generate(SecureRandom random, Clock clock) {
        return new SecretsBundle(
                Tokens.base64Secret(random, 32),
                Tokens.base64Secret(random, 32),
                Tokens.token(random),
                Tokens.base64Secret(random, 32),
                Tokens.token(random),
                CertificateAuthority.create("etcd", List.of("etcd"), KeyType.ECDSA_P256, CA_VALIDITY, random, clock),
                CertificateAuthority.create("kubernetes", List.of("kubernetes"), KeyType.ECDSA_P256, CA_VALIDITY, random, clock),
                CertificateAuthority.create("front-proxy", List.of(), KeyType.ECDSA_P256, CA_VALIDITY, random, clock),
                KeyType.ECDSA_P256.generate(random).getPrivate(),
                CertificateAuthority.create("", List.of("basalt"), KeyType.ED25519, CA_VALIDITY, random, clock));
    }

    /** Lifetime of the admin client certificate written to a generated client config. */
    public static final Duration ADMIN_CERT_VALIDITY = Duration.ofDays(365);

    /**
     * Issues an OS client certificate for {@code role} (e.g. {@code os:admin}): Ed25519, Organization = role,
     * ExtKeyUsage clientAuth, signed by the OS CA.
     */
    public CertificateAndKey issueClientCertificate(String commonName, String role, Duration validity,
                                                    SecureRandom random, Clock clock) {
        return new CertificateAuthority(osCa, random, clock).issue(IssueRequest.builder()
                .commonName(commonName)
                .organization(role)
                .usage(ExtendedUsage.CLIENT_AUTH)
                .validity(validity)
                .generateKey(KeyType.ED25519)
                .build());
    }

    /** base64 of a PEM text, the encoding Talos uses for crt/key fields. */
    public static String b64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    public String toYaml() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("cluster", ordered("id", clusterId, "secret", clusterSecret));
        root.put("secrets", ordered("bootstraptoken", bootstrapToken, "secretboxencryptionsecret", secretboxEncryptionSecret));
        root.put("trustdinfo", ordered("token", trustdToken));
        Map<String, Object> certs = new LinkedHashMap<>();
        certs.put("etcd", pair(etcdCa));
        certs.put("k8s", pair(kubernetesCa));
        certs.put("k8saggregator", pair(aggregatorCa));
        certs.put("k8sserviceaccount", ordered("key", b64(Pem.encodePrivateKey(serviceAccountKey))));
        certs.put("os", pair(osCa));
        root.put("certs", certs);
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(4).setWidth(1 << 20).build();
        return new Dump(settings).dumpToString(root);
    }

    private static Map<String, Object> pair(CertificateAndKey value) {
        return ordered("crt", b64(value.certPem()), "key", b64(value.keyPem()));
    }

    private static Map<String, Object> ordered(String... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** Reads a bundle, reporting every missing or malformed field by its path. */
    public static SecretsBundle parse(String yaml, String source) {
        Object document;
        try {
            document = new Load(LoadSettings.builder().setAllowDuplicateKeys(false).build()).loadFromString(yaml);
        } catch (YamlEngineException e) {
            throw new SecretsException(source, List.of("not valid YAML: " + e.getMessage().replace('\n', ' ')));
        }
        if (!(document instanceof Map<?, ?> root)) {
            throw new SecretsException(source, List.of("expected a mapping at the top level"));
        }
        Reader reader = new Reader(root);
        String clusterId = reader.string("cluster.id");
        String clusterSecret = reader.string("cluster.secret");
        String bootstrapToken = reader.token("secrets.bootstraptoken");
        String secretbox = reader.string("secrets.secretboxencryptionsecret");
        String trustdToken = reader.token("trustdinfo.token");
        CertificateAndKey etcd = reader.pair("certs.etcd");
        CertificateAndKey k8s = reader.pair("certs.k8s");
        CertificateAndKey aggregator = reader.pair("certs.k8saggregator");
        PrivateKey serviceAccount = reader.pem("certs.k8sserviceaccount.key", Pem::decodePrivateKey);
        CertificateAndKey os = reader.pair("certs.os");
        if (!reader.problems.isEmpty()) {
            throw new SecretsException(source, reader.problems);
        }
        return new SecretsBundle(clusterId, clusterSecret, bootstrapToken, secretbox, trustdToken, etcd, k8s, aggregator,
                serviceAccount, os);
    }

    /** Walks the loaded YAML by dotted path, collecting problems instead of stopping at the first. */
    private static final class Reader {
        private final Map<?, ?> root;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<?, ?> root) {
            this.root = root;
        }

        String string(String path) {
            Object current = root;
            for (String part : path.split("\\.")) {
                if (!(current instanceof Map<?, ?> map) || !map.containsKey(part)) {
                    problems.add(path + ": missing");
                    return null;
                }
                current = map.get(part);
            }
            if (!(current instanceof String text) || text.isBlank()) {
                problems.add(path + ": expected a non-empty string");
                return null;
            }
            return text;
        }

        String token(String path) {
            String value = string(path);
            if (value != null && !Tokens.TOKEN.matcher(value).matches()) {
                problems.add(path + ": token must match [a-z0-9]{6}.[a-z0-9]{16}");
                return null;
            }
            return value;
        }

        <T> T pem(String path, Function<String, T> decoder) {
            String value = string(path);
            if (value == null) {
                return null;
            }
            try {
                return decoder.apply(new String(Base64.getDecoder().decode(value.strip()), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                problems.add(path + ": not valid base64");
            } catch (PkiException e) {
                problems.add(path + ": " + e.getMessage());
            }
            return null;
        }

        CertificateAndKey pair(String path) {
            String crt = string(path + ".crt");
            String key = string(path + ".key");
            if (crt == null || key == null) {
                return null;
            }
            try {
                Base64.Decoder decoder = Base64.getDecoder();
                return CertificateAndKey.fromPem(new String(decoder.decode(crt.strip()), StandardCharsets.UTF_8),
                        new String(decoder.decode(key.strip()), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                problems.add(path + ": crt/key not valid base64");
            } catch (PkiException e) {
                problems.add(path + ": " + e.getMessage());
            }
            return null;
        }
    }
}
