package dev.basalt.machinery.generate;

import static dev.basalt.machinery.secrets.SecretsBundle.b64;

import dev.basalt.machinery.clientconfig.ClientConfig;
import dev.basalt.machinery.clientconfig.ClientContext;
import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.Pem;
import dev.basalt.machinery.secrets.SecretsBundle;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates a cluster's machine configs in the shape Talos' {@code gen config} writes (v1alpha1), from a secrets
 * bundle, plus a client config holding an {@code os:admin} certificate. Stateless apart from the injected
 * randomness and clock; thread-safe.
 */
public final class ConfigGenerator {
    private final SecureRandom random;
    private final Clock clock;

    public ConfigGenerator(SecureRandom random, Clock clock) {
        this.random = random;
        this.clock = clock;
    }

    public ConfigGenerator() {
        this(new SecureRandom(), Clock.systemUTC());
    }

    public GeneratedConfigs generate(GenerateOptions options) {
        return new GeneratedConfigs(machineConfig(options, true), machineConfig(options, false), clientConfig(options));
    }

    private Map<String, Object> machineConfig(GenerateOptions o, boolean controlPlane) {
        SecretsBundle s = o.secrets();
        Map<String, Object> root = map();
        root.put("version", "v1alpha1");
        root.put("debug", false);
        root.put("persist", true);

        Map<String, Object> machine = map();
        machine.put("type", controlPlane ? "controlplane" : "worker");
        machine.put("token", s.trustdToken());
        machine.put("ca", pair(s.osCa(), controlPlane));
        machine.put("certSANs", new ArrayList<>(o.additionalSans()));
        Map<String, Object> kubelet = map();
        kubelet.put("image", "ghcr.io/siderolabs/kubelet:v" + o.kubernetesVersion());
        kubelet.put("defaultRuntimeSeccompProfileEnabled", true);
        kubelet.put("disableManifestsDirectory", true);
        machine.put("kubelet", kubelet);
        machine.put("network", map());
        Map<String, Object> install = map();
        install.put("disk", o.installDisk());
        install.put("image", o.installImage());
        install.put("wipe", false);
        machine.put("install", install);
        Map<String, Object> features = map();
        features.put("rbac", true);
        features.put("stableHostname", true);
        features.put("apidCheckExtKeyUsage", true);
        features.put("diskQuotaSupport", true);
        features.put("kubePrism", entries("enabled", true, "port", 7445));
        features.put("hostDNS", entries("enabled", true, "forwardKubeDNSToHost", true));
        machine.put("features", features);
        if (controlPlane) {
            machine.put("nodeLabels", entries("node.kubernetes.io/exclude-from-external-load-balancers", ""));
        }
        root.put("machine", machine);

        Map<String, Object> cluster = map();
        cluster.put("id", s.clusterId());
        cluster.put("secret", s.clusterSecret());
        cluster.put("controlPlane", entries("endpoint", o.endpoint().toString()));
        cluster.put("clusterName", o.clusterName());
        Map<String, Object> network = map();
        network.put("dnsDomain", o.dnsDomain());
        network.put("podSubnets", new ArrayList<>(List.of("10.244.0.0/16")));
        network.put("serviceSubnets", new ArrayList<>(List.of("10.96.0.0/12")));
        cluster.put("network", network);
        cluster.put("token", s.bootstrapToken());
        if (controlPlane) {
            cluster.put("secretboxEncryptionSecret", s.secretboxEncryptionSecret());
        }
        cluster.put("ca", pair(s.kubernetesCa(), controlPlane));
        if (controlPlane) {
            cluster.put("aggregatorCA", pair(s.aggregatorCa(), true));
            cluster.put("serviceAccount", entries("key", b64(Pem.encodePrivateKey(s.serviceAccountKey()))));
            Map<String, Object> apiServer = map();
            apiServer.put("image", "registry.k8s.io/kube-apiserver:v" + o.kubernetesVersion());
            List<Object> sans = new ArrayList<>();
            sans.add(o.endpoint().getHost());
            sans.addAll(o.additionalSans());
            apiServer.put("certSANs", sans);
            apiServer.put("disablePodSecurityPolicy", true);
            apiServer.put("admissionControl", new ArrayList<>(List.of(entries(
                    "name", "PodSecurity",
                    "configuration", podSecurityConfiguration()))));
            apiServer.put("auditPolicy", entries("apiVersion", "audit.k8s.io/v1", "kind", "Policy",
                    "rules", new ArrayList<>(List.of(entries("level", "Metadata")))));
            cluster.put("apiServer", apiServer);
            cluster.put("controllerManager", entries("image", "registry.k8s.io/kube-controller-manager:v" + o.kubernetesVersion()));
            cluster.put("proxy", entries("image", "registry.k8s.io/kube-proxy:v" + o.kubernetesVersion()));
            cluster.put("scheduler", entries("image", "registry.k8s.io/kube-scheduler:v" + o.kubernetesVersion()));
        }
        Map<String, Object> registries = map();
        registries.put("kubernetes", entries("disabled", true));
        registries.put("service", map());
        cluster.put("discovery", entries("enabled", o.clusterDiscovery(), "registries", registries));
        if (controlPlane) {
            cluster.put("etcd", entries("ca", pair(s.etcdCa(), true)));
            cluster.put("extraManifests", new ArrayList<>());
            cluster.put("inlineManifests", new ArrayList<>());
        }
        root.put("cluster", cluster);
        return root;
    }

    private static Map<String, Object> podSecurityConfiguration() {
        Map<String, Object> defaults = map();
        defaults.put("audit", "restricted");
        defaults.put("audit-version", "latest");
        defaults.put("enforce", "baseline");
        defaults.put("enforce-version", "latest");
        defaults.put("warn", "restricted");
        defaults.put("warn-version", "latest");
        Map<String, Object> exemptions = map();
        exemptions.put("namespaces", new ArrayList<>(List.of("kube-system")));
        exemptions.put("runtimeClasses", new ArrayList<>());
        exemptions.put("usernames", new ArrayList<>());
        return entries("apiVersion", "pod-security.admission.config.k8s.io/v1alpha1",
                "kind", "PodSecurityConfiguration", "defaults", defaults, "exemptions", exemptions);
    }

    private ClientConfig clientConfig(GenerateOptions o) {
        CertificateAndKey admin = o.secrets().issueClientCertificate("admin", "os:admin", SecretsBundle.ADMIN_CERT_VALIDITY,
                random, clock);
        List<String> endpoints = o.clientEndpoints().isEmpty() ? List.of(o.endpoint().getHost()) : o.clientEndpoints();
        ClientContext context = new ClientContext(endpoints, List.of(), b64(o.secrets().osCa().certPem()),
                b64(admin.certPem()), b64(admin.keyPem()));
        return ClientConfig.empty().withContext(o.clusterName(), context).select(o.clusterName());
    }

    /** A CA as a config section; nodes that must not hold the CA key get an empty one, as Talos writes it. */
    private static Map<String, Object> pair(CertificateAndKey ca, boolean withKey) {
        return entries("crt", b64(ca.certPem()), "key", withKey ? b64(ca.keyPem()) : "");
    }

    private static Map<String, Object> map() {
        return new LinkedHashMap<>();
    }

    private static Map<String, Object> entries(Object... keysAndValues) {
        Map<String, Object> out = map();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }
}
