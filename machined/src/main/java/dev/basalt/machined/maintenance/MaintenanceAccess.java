package dev.basalt.machined.maintenance;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;
import java.util.TreeSet;

/**
 * The access table of the maintenance API: anyone who can reach the node may read (version, disks, dmesg,
 * resources, ...) and apply a machine config, and nothing else. There are no client certificates in maintenance
 * mode, so every method that changes the node other than ApplyConfiguration is refused with PERMISSION_DENIED.
 *
 * <p>Stateless; thread-safe.
 */
public final class MaintenanceAccess implements ServerInterceptor {
    /** Full gRPC method names the maintenance API serves. */
    public static final Set<String> ALLOWED = Set.of(
            "machine.MachineService/Version",
            "machine.MachineService/ApplyConfiguration",
            "machine.MachineService/Dmesg",
            "machine.MachineService/Hostname",
            "machine.MachineService/Memory",
            "machine.MachineService/Mounts",
            "machine.MachineService/Processes",
            "machine.MachineService/MetaWrite",
            "machine.MachineService/MetaDelete",
            "machine.MachineService/Reset",
            "storage.StorageService/Disks",
            "cosi.resource.State/Get",
            "cosi.resource.State/List",
            "cosi.resource.State/Watch");

    /** Whether {@code fullMethodName} may be called in maintenance mode. */
    public static boolean allows(String fullMethodName) {
        return ALLOWED.contains(fullMethodName);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (!allows(method)) {
            call.close(Status.PERMISSION_DENIED.withDescription(method + " is not available in maintenance mode;"
                    + " allowed: " + new TreeSet<>(ALLOWED)), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return next.startCall(call, headers);
    }
}
