package dev.basalt.machinery.generate;

import dev.basalt.machinery.secrets.SecretsBundle;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Inputs of {@link ConfigGenerator}, with the defaults {@code basaltctl gen config} uses written next to each
 * field. Immutable; build with {@link #builder(String, URI, SecretsBundle)}.
 */
public record GenerateOptions(
        String clusterName,
        URI endpoint,
        SecretsBundle secrets,
        String kubernetesVersion,
        String installDisk,
        String installImage,
        List<String> additionalSans,
        String dnsDomain,
        boolean clusterDiscovery,
        List<String> clientEndpoints) {

    /** The Kubernetes release the generated images point at. */
    public static final String DEFAULT_KUBERNETES_VERSION = "1.34.1";
    public static final String DEFAULT_INSTALL_DISK = "/dev/sda";
    public static final String DEFAULT_INSTALL_IMAGE = "ghcr.io/basalt-os/installer:v0.1.0";
    public static final String DEFAULT_DNS_DOMAIN = "cluster.local";

    public GenerateOptions {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(secrets, "secrets");
        additionalSans = List.copyOf(additionalSans);
        clientEndpoints = List.copyOf(clientEndpoints);
    }

    public static Builder builder(String clusterName, URI endpoint, SecretsBundle secrets) {
        return new Builder(clusterName, endpoint, secrets);
    }

    /** Collects options; not thread-safe. */
    public static final class Builder {
        private final String clusterName;
        private final URI endpoint;
        private final SecretsBundle secrets;
        private String kubernetesVersion = DEFAULT_KUBERNETES_VERSION;
        private String installDisk = DEFAULT_INSTALL_DISK;
        private String installImage = DEFAULT_INSTALL_IMAGE;
        private final List<String> additionalSans = new ArrayList<>();
        private String dnsDomain = DEFAULT_DNS_DOMAIN;
        private boolean clusterDiscovery = true;
        private final List<String> clientEndpoints = new ArrayList<>();

        private Builder(String clusterName, URI endpoint, SecretsBundle secrets) {
            this.clusterName = clusterName;
            this.endpoint = endpoint;
            this.secrets = secrets;
        }

        /** Accepts {@code 1.34.1} or {@code v1.34.1}. */
        public Builder kubernetesVersion(String value) {
            this.kubernetesVersion = value.startsWith("v") ? value.substring(1) : value;
            return this;
        }

        public Builder installDisk(String value) {
            this.installDisk = value;
            return this;
        }

        public Builder installImage(String value) {
            this.installImage = value;
            return this;
        }

        public Builder additionalSans(List<String> values) {
            additionalSans.addAll(values);
            return this;
        }

        public Builder dnsDomain(String value) {
            this.dnsDomain = value;
            return this;
        }

        public Builder clusterDiscovery(boolean value) {
            this.clusterDiscovery = value;
            return this;
        }

        /** Endpoints written to the client config; by default the control-plane endpoint's host. */
        public Builder clientEndpoints(List<String> values) {
            clientEndpoints.addAll(values);
            return this;
        }

        public GenerateOptions build() {
            return new GenerateOptions(clusterName, endpoint, secrets, kubernetesVersion, installDisk, installImage,
                    additionalSans, dnsDomain, clusterDiscovery, clientEndpoints);
        }
    }
}
