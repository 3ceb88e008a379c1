package dev.basalt.apid.auth;

import dev.basalt.machinery.api.AccessTable;
import dev.basalt.machinery.api.ApiMethod;
import dev.basalt.machinery.api.MetadataKeys;
import dev.basalt.machinery.api.Role;
import dev.basalt.machinery.api.transport.PeerCertificates;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Decides every call against {@link AccessTable}: the caller's roles come from its client certificate's O
 * values, except that a caller holding {@link Role#IMPERSONATOR} (another node's apid) speaks for the roles
 * it forwards in {@link MetadataKeys#FORWARDED_ROLE}. Denied calls end with PERMISSION_DENIED naming the
 * method, the roles it needs and the roles presented.
 *
 * <p>Stateless; thread-safe.
 */
public final class Authorizer implements ServerInterceptor {
    private static final Metadata.Key<String> FORWARDED =
            Metadata.Key.of(MetadataKeys.FORWARDED_ROLE, Metadata.ASCII_STRING_MARSHALLER);

    /** The roles the caller of this call acts with. */
    public static Set<Role> effectiveRoles(Set<Role> certificateRoles, Iterable<String> forwarded) {
        if (!certificateRoles.contains(Role.IMPERSONATOR)) {
            return certificateRoles;
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (forwarded != null) {
            for (String value : forwarded) {
                for (String one : value.split(",")) {
                    Role.fromOrganization(one.trim()).filter(r -> r != Role.IMPERSONATOR).ifPresent(roles::add);
                }
            }
        }
        return roles;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        Optional<PeerCertificates.Peer> peer = PeerCertificates.peer(call);
        if (peer.isEmpty()) {
            call.close(Status.UNAUTHENTICATED.withDescription(method + ": no verified client certificate"),
                    new Metadata());
            return new ServerCall.Listener<>() { };
        }
        Set<Role> roles = effectiveRoles(peer.get().roles(), headers.getAll(FORWARDED));
        ApiMethod entry = AccessTable.lookup(method);
        if (!entry.allows(roles)) {
            call.close(Status.PERMISSION_DENIED.withDescription(method + " needs one of "
                    + organizations(entry.allowed()) + "; the caller has " + organizations(roles)), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        Context context = Context.current().withValue(CallerRoles.KEY, Set.copyOf(roles));
        return Contexts.interceptCall(context, call, headers, next);
    }

    private static java.util.List<String> organizations(Set<Role> roles) {
        return roles.stream().sorted().map(Role::organization).toList();
    }
}
