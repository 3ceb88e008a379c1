package dev.basalt.machinery.api;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The roles of the node API. A client certificate carries its roles as Organization (O) values; a role the
 * table does not know is ignored rather than rejected, so certificates from newer releases keep working.
 *
 * <p>Immutable; thread-safe.
 */
public enum Role {
    ADMIN("os:admin"),
    OPERATOR("os:operator"),
    READER("os:reader"),
    ETCD_BACKUP("os:etcd:backup"),
    /** Held by apid's own certificate: the only role whose holder may forward another caller's roles. */
    IMPERSONATOR("os:impersonator");

    private final String organization;

    Role(String organization) {
        this.organization = organization;
    }

    /** The certificate Organization value naming this role, e.g. {@code os:admin}. */
    public String organization() {
        return organization;
    }

    /** The role an Organization value names, if it names one. */
    public static Optional<Role> fromOrganization(String organization) {
        for (Role role : values()) {
            if (role.organization.equals(organization)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** All roles named by the given Organization values; unknown values are skipped. */
    public static Set<Role> fromOrganizations(Collection<String> organizations) {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (String organization : organizations) {
            fromOrganization(organization).ifPresent(roles::add);
        }
        return roles;
    }
}
