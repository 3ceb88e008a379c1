package dev.basalt.apid.proxy;

import io.grpc.HandlerRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves every node-API method to the relaying handler; unknown methods resolve to nothing, so gRPC answers
 * UNIMPLEMENTED for them.
 *
 * <p>Thread-safe.
 */
public final class ProxyRegistry extends HandlerRegistry {
    private final RawMethods methods;
    private final ProxyHandler handler;
    private final Map<String, ServerMethodDefinition<byte[], byte[]>> definitions = new ConcurrentHashMap<>();

    public ProxyRegistry(RawMethods methods, ProxyHandler handler) {
        this.methods = methods;
        this.handler = handler;
    }

    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
        ServerMethodDefinition<byte[], byte[]> known = definitions.get(methodName);
        if (known != null) {
            return known;
        }
        return methods.find(methodName).map(this::define).orElse(null);
    }

    private ServerMethodDefinition<byte[], byte[]> define(MethodDescriptor<byte[], byte[]> method) {
        return definitions.computeIfAbsent(method.getFullMethodName(),
                name -> ServerMethodDefinition.create(method, handler));
    }
}
