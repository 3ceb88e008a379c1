package dev.basalt.machinery.api;

import java.util.Objects;
import java.util.Set;

/**
 * One RPC of the node API and who may call it.
 *
 * @param fullName gRPC full method name without the leading slash, e.g. {@code machine.MachineService/Version}
 * @param allowed  roles allowed to call it
 * @param shape    how it may be fanned out
 */
public record ApiMethod(String fullName, Set<Role> allowed, CallShape shape) {
    public ApiMethod {
        Objects.requireNonNull(fullName, "fullName");
        allowed = Set.copyOf(allowed);
        Objects.requireNonNull(shape, "shape");
    }

    /** True if any of the caller's roles is allowed. */
    public boolean allows(Set<Role> callerRoles) {
        for (Role role : callerRoles) {
            if (allowed.contains(role)) {
                return true;
            }
        }
        return false;
    }
}
