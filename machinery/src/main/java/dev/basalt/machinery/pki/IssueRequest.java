package dev.basalt.machinery.pki;

import java.net.InetAddress;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a CA is asked to sign: subject, names, usages, validity, and either an existing public key (from a CSR)
 * or the type of a key to generate for the holder. Immutable; build with {@link #builder()}.
 */
public record IssueRequest(
        String commonName,
        List<String> organizations,
        List<String> dnsNames,
        List<InetAddress> ipAddresses,
        Set<ExtendedUsage> usages,
        Duration validity,
        Optional<PublicKey> publicKey,
        KeyType generateKeyType) {

    public IssueRequest {
        Objects.requireNonNull(commonName, "commonName");
        organizations = List.copyOf(organizations);
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        usages = usages.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(usages));
        Objects.requireNonNull(validity, "validity");
        if (validity.isNegative() || validity.isZero()) {
            throw new PkiException("certificate validity must be positive, got " + validity);
        }
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(generateKeyType, "generateKeyType");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the parts of an {@link IssueRequest}; not thread-safe. */
    public static final class Builder {
        private String commonName = "";
        private final List<String> organizations = new ArrayList<>();
        private final List<String> dnsNames = new ArrayList<>();
        private final List<InetAddress> ipAddresses = new ArrayList<>();
        private final Set<ExtendedUsage> usages = EnumSet.noneOf(ExtendedUsage.class);
        private Duration validity = Duration.ofDays(365);
        private PublicKey publicKey;
        private KeyType generateKeyType = KeyType.ED25519;

        public Builder commonName(String value) {
            this.commonName = Objects.requireNonNull(value);
            return this;
        }

        public Builder organization(String value) {
            organizations.add(value);
            return this;
        }

        public Builder organizations(List<String> values) {
            organizations.addAll(values);
            return this;
        }

        public Builder dnsName(String value) {
            dnsNames.add(value);
            return this;
        }

        public Builder dnsNames(List<String> values) {
            dnsNames.addAll(values);
            return this;
        }

        public Builder ipAddress(InetAddress value) {
            ipAddresses.add(value);
            return this;
        }

        public Builder ipAddresses(List<InetAddress> values) {
            ipAddresses.addAll(values);
            return this;
        }

        public Builder usage(ExtendedUsage value) {
            usages.add(value);
            return this;
        }

        public Builder validity(Duration value) {
            this.validity = value;
            return this;
        }

        /** Sign this key (from a CSR) instead of generating one. */
        public Builder publicKey(PublicKey value) {
            this.publicKey = value;
            return this;
        }

        /** Generate a key of this type for the holder (the default, Ed25519, unless {@link #publicKey} is set). */
        public Builder generateKey(KeyType value) {
            this.generateKeyType = value;
            return this;
        }

        public IssueRequest build() {
            return new IssueRequest(commonName, organizations, dnsNames, ipAddresses, usages, validity,
                    Optional.ofNullable(publicKey), generateKeyType);
        }
    }
}
