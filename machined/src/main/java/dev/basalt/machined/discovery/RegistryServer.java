package dev.basalt.machined.discovery;

import dev.basalt.machined.api.ClusterMembers;
import dev.basalt.machinery.api.MetadataKeys;
import dev.basalt.machinery.api.discovery.Affiliate;
import dev.basalt.machinery.api.discovery.GoodbyeRequest;
import dev.basalt.machinery.api.discovery.GoodbyeResponse;
import dev.basalt.machinery.api.discovery.HelloRequest;
import dev.basalt.machinery.api.discovery.HelloResponse;
import dev.basalt.machinery.api.discovery.RegistryGrpc;
import dev.basalt.machinery.api.transport.TlsServer;
import dev.basalt.machinery.pki.CertificateAndKey;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The discovery registry endpoint of a control-plane node ({@code basalt.discovery.Registry} on :50002): TLS with
 * the node's apid certificate, callers authenticated by the cluster token. Hello records the caller in the
 * {@link MemberRegistry} for {@link #TTL} and answers with the member list; Goodbye removes it at once.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class RegistryServer implements AutoCloseable {
    public static final int PORT = 50002;
    /** An affiliate that stops announcing itself (crashed, cut off) drops out after this long. */
    public static final Duration TTL = Duration.ofSeconds(15);
    private static final Metadata.Key<String> TOKEN = Metadata.Key.of(MetadataKeys.TOKEN,
            Metadata.ASCII_STRING_MARSHALLER);

    private final TlsServer server;

    private RegistryServer(TlsServer server) {
        this.server = server;
    }

    public static RegistryServer start(InetSocketAddress listen, CertificateAndKey identity, String token,
                                       MemberRegistry registry) throws IOException {
        return new RegistryServer(TlsServer.serverOnlyTls("discovery registry", listen, identity)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .start((builder, group) -> {
                    builder.addService(ServerInterceptors.intercept(new Service(registry), tokenCheck(token)));
                    return () -> { };
                }));
    }

    public int port() {
        return server.port();
    }

    /** Refuses calls without the cluster token, comparing in constant time. */
    static ServerInterceptor tokenCheck(String token) {
        byte[] expected = token.getBytes(StandardCharsets.UTF_8);
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                String presented = headers.get(TOKEN);
                if (presented == null || !MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
                    call.close(Status.PERMISSION_DENIED.withDescription(presented == null
                            ? "discovery registry: no token in the call metadata; expected the cluster token"
                            : "discovery registry: the token does not match this cluster's"), new Metadata());
                    return new ServerCall.Listener<>() {
                    };
                }
                return next.startCall(call, headers);
            }
        };
    }

    static ClusterMembers.Member member(Affiliate a) {
        return new ClusterMembers.Member(a.getNodeId(), a.getHostname(), a.getMachineType(), a.getAddressesList(),
                a.getOperatingSystem());
    }

    static Affiliate affiliate(ClusterMembers.Member m) {
        return Affiliate.newBuilder().setNodeId(m.nodeId()).setHostname(m.hostname()).setMachineType(m.machineType())
                .addAllAddresses(m.addresses()).setOperatingSystem(m.operatingSystem()).build();
    }

    /** The service itself; separate so tests can call it without a socket. */
    static final class Service extends RegistryGrpc.RegistryImplBase {
        private final MemberRegistry registry;

        Service(MemberRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void hello(HelloRequest request, StreamObserver<HelloResponse> out) {
            Affiliate a = request.getAffiliate();
            if (a.getNodeId().isEmpty() || a.getHostname().isEmpty()) {
                out.onError(Status.INVALID_ARGUMENT.withDescription("Hello: affiliate node_id and hostname must be "
                        + "set, got node_id '" + a.getNodeId() + "', hostname '" + a.getHostname() + "'")
                        .asRuntimeException());
                return;
            }
            if (!List.of("worker", "controlplane").contains(a.getMachineType())) {
                out.onError(Status.INVALID_ARGUMENT.withDescription("Hello: machine_type '" + a.getMachineType()
                        + "' is not worker or controlplane").asRuntimeException());
                return;
            }
            registry.announce(member(a), TTL);
            HelloResponse.Builder reply = HelloResponse.newBuilder().setTtlSeconds((int) TTL.toSeconds());
            for (ClusterMembers.Member m : registry.members()) {
                reply.addMembers(affiliate(m));
            }
            out.onNext(reply.build());
            out.onCompleted();
        }

        @Override
        public void goodbye(GoodbyeRequest request, StreamObserver<GoodbyeResponse> out) {
            registry.forget(request.getNodeId());
            out.onNext(GoodbyeResponse.getDefaultInstance());
            out.onCompleted();
        }
    }

    /** Stops the server as {@link TlsServer#close()} does. */
    @Override
    public void close() {
        server.close();
    }
}
