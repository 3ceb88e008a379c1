package dev.basalt.apid.auth;

import dev.basalt.machinery.api.Role;
import io.grpc.Context;
import java.util.Set;

/**
 * The roles a call was authorized with, carried in the gRPC {@link Context} from the authorizer to the proxy
 * (which forwards them when it relays the call to another node's apid).
 *
 * <p>Constants only; the context key is thread-safe.
 */
public final class CallerRoles {
    public static final Context.Key<Set<Role>> KEY = Context.key("basalt-caller-roles");

    private CallerRoles() {
    }
}
