package dev.basalt.apid.proxy;

import dev.basalt.machinery.api.cluster.ClusterServiceGrpc;
import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import dev.basalt.machinery.api.resource.StateGrpc;
import dev.basalt.machinery.api.storage.StorageServiceGrpc;
import dev.basalt.machinery.api.time.TimeServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node-API methods apid relays, as byte-level method descriptors: same names and call types as the
 * generated services, but messages pass through as opaque bytes, so apid never parses a request or reply.
 *
 * <p>Immutable after construction; thread-safe.
 */
public final class RawMethods {
    /** Passes message bytes through untouched. */
    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("reading a relayed message failed", e);
            }
        }
    };

    private final Map<String, MethodDescriptor<byte[], byte[]>> methods = new HashMap<>();

    /** The relayed services: machine, storage, time, cluster, and cosi state. */
    public static RawMethods nodeApi() {
        return new RawMethods(List.of(MachineServiceGrpc.getServiceDescriptor(),
                StorageServiceGrpc.getServiceDescriptor(), TimeServiceGrpc.getServiceDescriptor(),
                ClusterServiceGrpc.getServiceDescriptor(), StateGrpc.getServiceDescriptor()));
    }

    RawMethods(List<ServiceDescriptor> services) {
        for (ServiceDescriptor service : services) {
            for (MethodDescriptor<?, ?> m : service.getMethods()) {
                methods.put(m.getFullMethodName(), MethodDescriptor.<byte[], byte[]>newBuilder()
                        .setType(m.getType()).setFullMethodName(m.getFullMethodName())
                        .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build());
            }
        }
    }

    public Optional<MethodDescriptor<byte[], byte[]>> find(String fullMethodName) {
        return Optional.ofNullable(methods.get(fullMethodName));
    }
}
