package dev.basalt.machinery.client;

import dev.basalt.machinery.api.MetadataKeys;
import dev.basalt.machinery.api.transport.Tls;
import dev.basalt.machinery.clientconfig.ClientContext;
import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.Pem;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * A client of the node API built from a client-config context: mutual TLS with the context's certificate,
 * the context's (or overridden) endpoints tried in order, and the target nodes sent as routing metadata
 * ({@code node} for one, {@code nodes} for several).
 *
 * <p>Failover: a call that fails with UNAVAILABLE before it got any reply is retried on the next endpoint;
 * the last endpoint's error is reported. Thread-safe; channels are created on first use and closed by
 * {@link #close()}.
 */
public final class NodeClient implements AutoCloseable {
    private static final Metadata.Key<String> NODE = Metadata.Key.of(MetadataKeys.NODE,
            Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> NODES = Metadata.Key.of(MetadataKeys.NODES,
            Metadata.ASCII_STRING_MARSHALLER);

    private final List<Endpoint> endpoints;
    private final SslContext tls;
    private final ManagedChannel[] channels;

    private NodeClient(List<Endpoint> endpoints, SslContext tls) {
        this.endpoints = List.copyOf(endpoints);
        this.tls = tls;
        this.channels = new ManagedChannel[endpoints.size()];
    }

    /**
     * A client for {@code context}; {@code endpointOverride}, when non-empty, replaces its endpoints.
     *
     * @throws IllegalArgumentException naming what is missing or malformed in the context
     */
    public static NodeClient of(ClientContext context, List<String> endpointOverride) {
        List<String> names = endpointOverride.isEmpty() ? context.endpoints() : endpointOverride;
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no endpoints: set them with 'basaltctl config endpoint' or -e");
        }
        List<Endpoint> endpoints = new ArrayList<>();
        for (String name : names) {
            endpoints.add(Endpoint.parse(name));
        }
        X509Certificate ca = Pem.decodeCertificate(decode("ca", context.ca()));
        Optional<CertificateAndKey> identity = context.crt().isEmpty() ? Optional.empty()
                : Optional.of(CertificateAndKey.fromPem(decode("crt", context.crt()), decode("key", context.key())));
        try {
            return new NodeClient(endpoints, Tls.client(identity, ca));
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot set up TLS from the client context: " + e.getMessage(), e);
        }
    }

    /**
     * A client for nodes in maintenance mode: server-only TLS trusting {@code trust} (any certificate, or the
     * pinned one), no client certificate, {@code endpoints} tried in order and no routing metadata.
     */
    public static NodeClient insecure(List<String> endpoints, MaintenanceTrust trust) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("--insecure needs the node to talk to: pass -n IP[:PORT]");
        }
        try {
            SslContext tls = io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts.configure(
                            io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder.forClient(),
                            io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider.JDK)
                    .protocols("TLSv1.3").trustManager(trust).build();
            return new NodeClient(endpoints.stream().map(Endpoint::parse).toList(), tls);
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot set up TLS for --insecure: " + e.getMessage(), e);
        }
    }

    private static String decode(String field, String base64) {
        if (base64.isEmpty()) {
            throw new IllegalArgumentException("client context has no " + field);
        }
        try {
            return new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("client context " + field + " is not base64: " + e.getMessage(), e);
        }
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    private synchronized ManagedChannel channel(int index) {
        if (channels[index] == null) {
            channels[index] = NettyChannelBuilder.forTarget(endpoints.get(index).target())
                    .negotiationType(NegotiationType.TLS)
                    .sslContext(tls)
                    .maxInboundMessageSize(32 << 20)
                    .build();
        }
        return channels[index];
    }

    /** A channel whose calls carry the routing metadata for {@code nodes} (none when empty). */
    public static Channel targeting(Channel channel, List<String> nodes) {
        if (nodes.isEmpty()) {
            return channel;
        }
        Metadata headers = new Metadata();
        if (nodes.size() == 1) {
            headers.put(NODE, nodes.getFirst());
        } else {
            headers.put(NODES, String.join(",", nodes));
        }
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /**
     * Runs {@code call} against the first endpoint that answers.
     *
     * @param nodes target nodes (routing metadata), empty for the endpoint's own node
     */
    public <T> T call(List<String> nodes, Function<Channel, T> call) {
        StatusRuntimeException last = null;
        for (int i = 0; i < endpoints.size(); i++) {
            try {
                return call.apply(targeting(channel(i), nodes));
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || !isConnectFailure(e)) {
                    throw e;
                }
                last = new StatusRuntimeException(e.getStatus().augmentDescription("endpoint "
                        + endpoints.get(i).target()), e.getTrailers());
            }
        }
        throw last;
    }

    /**
     * An UNAVAILABLE raised by our own transport (connection refused, TLS failure) rather than relayed from a
     * node behind apid: only those move on to the next endpoint.
     */
    private static boolean isConnectFailure(StatusRuntimeException e) {
        return e.getCause() != null || e.getStatus().getDescription() == null
                || e.getStatus().getDescription().startsWith("io exception");
    }

    /** Default call options with a deadline. */
    public static CallOptions deadline(long seconds) {
        return CallOptions.DEFAULT.withDeadlineAfter(seconds, TimeUnit.SECONDS);
    }

    @Override
    public synchronized void close() {
        for (ManagedChannel c : channels) {
            if (c != null) {
                c.shutdownNow();
            }
        }
    }
}
