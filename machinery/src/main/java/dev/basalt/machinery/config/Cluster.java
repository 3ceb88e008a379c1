package dev.basalt.machinery.config;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code cluster} section of a config, as far as Basalt acts on it. Built from a validated tree by
 * {@link #from}; defaults (Talos' own) are written where each field is read.
 *
 * <pre>
 * cluster:
 *   controlPlane: {endpoint: https://10.0.0.1:6443}
 *   clusterName: demo
 *   network: {dnsDomain: cluster.local, podSubnets: [10.244.0.0/16], serviceSubnets: [10.96.0.0/12]}
 *   token: abcdef.0123456789abcdef
 * </pre>
 *
 * <p>All records here are immutable and thread-safe; {@code toString()} redacts secrets.
 */
public record Cluster(String id, String secret, ControlPlane controlPlane, String clusterName, ClusterNetwork network,
                      String token, String secretboxEncryptionSecret, CertificateAndKey ca,
                      CertificateAndKey aggregatorCA, String serviceAccountKey, ApiServer apiServer,
                      Component controllerManager, Component scheduler, Proxy proxy, Etcd etcd, Discovery discovery,
                      List<InlineManifest> inlineManifests, List<String> extraManifests,
                      boolean allowSchedulingOnControlPlanes) {

    static Cluster from(TreeReader c) {
        TreeReader network = c.object("network");
        TreeReader discovery = c.object("discovery");
        TreeReader registries = discovery.object("registries");
        TreeReader etcd = c.object("etcd");
        TreeReader proxy = c.object("proxy");
        TreeReader apiServer = c.object("apiServer");
        return new Cluster(
                c.string("id", ""),
                c.string("secret", ""),
                new ControlPlane(URI.create(c.object("controlPlane").string("endpoint", "")),
                        (int) c.object("controlPlane").integer("localAPIServerPort", 6443)),
                c.string("clusterName", ""),
                new ClusterNetwork(
                        new Cni(network.object("cni").string("name", "flannel"), network.object("cni").strings("urls")),
                        network.string("dnsDomain", "cluster.local"),
                        network.strings("podSubnets", List.of("10.244.0.0/16")),
                        network.strings("serviceSubnets", List.of("10.96.0.0/12"))),
                c.string("token", ""),
                c.string("secretboxEncryptionSecret", ""),
                CertificateAndKey.from(c.object("ca")),
                CertificateAndKey.from(c.object("aggregatorCA")),
                c.object("serviceAccount").string("key", ""),
                new ApiServer(apiServer.string("image", ""), apiServer.args("extraArgs"), apiServer.strings("certSANs")),
                Component.from(c.object("controllerManager")),
                Component.from(c.object("scheduler")),
                new Proxy(proxy.bool("disabled", false), proxy.string("image", ""), proxy.string("mode", "iptables"),
                        proxy.args("extraArgs")),
                new Etcd(etcd.string("image", ""), CertificateAndKey.from(etcd.object("ca")), etcd.args("extraArgs"),
                        etcd.strings("advertisedSubnets"), etcd.strings("listenSubnets")),
                new Discovery(discovery.bool("enabled", false),
                        registries.object("kubernetes").bool("disabled", true),
                        registries.object("service").bool("disabled", false),
                        registries.object("service").optionalString("endpoint")),
                c.objects("inlineManifests").stream()
                        .map(m -> new InlineManifest(m.string("name", ""), m.string("contents", ""))).toList(),
                c.strings("extraManifests"),
                c.bool("allowSchedulingOnControlPlanes", c.bool("allowSchedulingOnMasters", false)));
    }

    @Override
    public String toString() {
        return "Cluster[clusterName=" + clusterName + ", controlPlane=" + controlPlane + ", network=" + network
                + ", secrets=redacted, inlineManifests=" + inlineManifests.size() + "]";
    }

    /** Where the Kubernetes API is reached, and the port the local API server listens on. */
    public record ControlPlane(URI endpoint, int localApiServerPort) {
    }

    /** {@code cluster.network}. */
    public record ClusterNetwork(Cni cni, String dnsDomain, List<String> podSubnets, List<String> serviceSubnets) {
    }

    /** {@code flannel} (default), {@code custom} (from {@code urls}) or {@code none}. */
    public record Cni(String name, List<String> urls) {
    }

    /** The API server's image, flags and extra certificate SANs. An empty image means the default. */
    public record ApiServer(String image, Map<String, List<String>> extraArgs, List<String> certSANs) {
    }

    /** A control-plane component's image and flags. An empty image means the default. */
    public record Component(String image, Map<String, List<String>> extraArgs) {
        static Component from(TreeReader c) {
            return new Component(c.string("image", ""), c.args("extraArgs"));
        }
    }

    /** kube-proxy settings; mode defaults to iptables as in Talos. */
    public record Proxy(boolean disabled, String image, String mode, Map<String, List<String>> extraArgs) {
    }

    /** etcd image, CA, flags and the subnets it advertises and listens on. */
    public record Etcd(String image, CertificateAndKey ca, Map<String, List<String>> extraArgs,
                       List<String> advertisedSubnets, List<String> listenSubnets) {
    }

    /** Cluster member discovery and its two registries. */
    public record Discovery(boolean enabled, boolean kubernetesRegistryDisabled, boolean serviceRegistryDisabled,
                            Optional<String> serviceEndpoint) {
    }

    /** A manifest applied at bootstrap, carried in the config. */
    public record InlineManifest(String name, String contents) {
        @Override
        public String toString() {
            return "InlineManifest[name=" + name + ", contents=" + contents.length() + " chars]";
        }
    }
}
