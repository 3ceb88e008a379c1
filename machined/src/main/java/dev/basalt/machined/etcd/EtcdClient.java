package dev.basalt.machined.etcd;

import dev.basalt.machinery.api.transport.Tls;
import dev.basalt.machinery.pki.CertificateAndKey;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * A small etcd v3 client over gRPC for the cluster-management calls Basalt needs: MemberList, MemberAdd,
 * MemberRemove, Status and Snapshot. It speaks mutual TLS with a client certificate from the etcd CA. Calls that
 * any member can answer try the endpoints in order; every call has a deadline, so nothing waits forever on a
 * dead member.
 *
 * <p>Thread-safe; close it to release the channels.
 */
public final class EtcdClient implements AutoCloseable {
    private static final MethodDescriptor<byte[], byte[]> MEMBER_ADD = unary("etcdserverpb.Cluster/MemberAdd");
    private static final MethodDescriptor<byte[], byte[]> MEMBER_REMOVE = unary("etcdserverpb.Cluster/MemberRemove");
    private static final MethodDescriptor<byte[], byte[]> MEMBER_PROMOTE = unary("etcdserverpb.Cluster/MemberPromote");
    private static final MethodDescriptor<byte[], byte[]> MEMBER_LIST = unary("etcdserverpb.Cluster/MemberList");
    private static final MethodDescriptor<byte[], byte[]> STATUS = unary("etcdserverpb.Maintenance/Status");
    private static final MethodDescriptor<byte[], byte[]> SNAPSHOT = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
            .setFullMethodName("etcdserverpb.Maintenance/Snapshot")
            .setRequestMarshaller(RawBytes.INSTANCE)
            .setResponseMarshaller(RawBytes.INSTANCE)
            .build();

    private final List<URI> endpoints;
    private final List<ManagedChannel> channels;
    private final Duration deadline;

    /**
     * @param endpoints client URLs ({@code https://10.5.0.2:2379})
     * @param identity  client certificate and key issued by the etcd CA
     * @param ca        the etcd CA certificate
     * @param deadline  deadline of each call
     */
    public EtcdClient(List<URI> endpoints, CertificateAndKey identity, X509Certificate ca, Duration deadline)
            throws EtcdException {
        if (endpoints.isEmpty()) {
            throw new EtcdException(EtcdException.Reason.INVALID_ARGUMENT, "no etcd endpoints given");
        }
        SslContext tls;
        try {
            tls = Tls.client(Optional.of(identity), ca);
        } catch (SSLException e) {
            throw new EtcdException(EtcdException.Reason.INVALID_ARGUMENT,
                    "cannot build the etcd client TLS context: " + e.getMessage(), e);
        }
        this.endpoints = List.copyOf(endpoints);
        this.deadline = deadline;
        List<ManagedChannel> built = new ArrayList<>();
        for (URI endpoint : endpoints) {
            if (!"https".equals(endpoint.getScheme()) || endpoint.getHost() == null || endpoint.getPort() < 1) {
                built.forEach(ManagedChannel::shutdownNow);
                throw new EtcdException(EtcdException.Reason.INVALID_ARGUMENT, "etcd endpoint '" + endpoint
                        + "' is invalid; expected https://HOST:PORT");
            }
            built.add(NettyChannelBuilder.forAddress(endpoint.getHost(), endpoint.getPort())
                    .sslContext(tls)
                    .maxInboundMessageSize(16 << 20)
                    .build());
        }
        this.channels = List.copyOf(built);
    }

    public List<URI> endpoints() {
        return endpoints;
    }

    public List<EtcdMember> memberList() throws EtcdException {
        return EtcdWire.decodeMembers(anyEndpoint("MemberList", MEMBER_LIST, EtcdWire.memberListRequest(false)));
    }

    public EtcdWire.MemberAdded memberAdd(List<String> peerUrls) throws EtcdException {
        return memberAdd(peerUrls, false);
    }

    /** Adds a member; a learner does not vote until {@link #memberPromote} makes it a voting member. */
    public EtcdWire.MemberAdded memberAdd(List<String> peerUrls, boolean learner) throws EtcdException {
        return EtcdWire.decodeMemberAdd(anyEndpoint("MemberAdd " + peerUrls + (learner ? " as learner" : ""),
                MEMBER_ADD, EtcdWire.memberAddRequest(peerUrls, learner)));
    }

    /** Makes a learner a voting member; etcd refuses (FailedPrecondition) until the learner has caught up. */
    public List<EtcdMember> memberPromote(long id) throws EtcdException {
        return EtcdWire.decodeMembers(anyEndpoint("MemberPromote " + Long.toHexString(id), MEMBER_PROMOTE,
                EtcdWire.memberPromoteRequest(id)));
    }

    public List<EtcdMember> memberRemove(long id) throws EtcdException {
        return EtcdWire.decodeMembers(anyEndpoint("MemberRemove " + Long.toHexString(id), MEMBER_REMOVE,
                EtcdWire.memberRemoveRequest(id)));
    }

    /** Status of the member at endpoint {@code index}. */
    public EtcdStatus status(int index) throws EtcdException {
        return EtcdWire.decodeStatus(call(index, "Status", STATUS, EtcdWire.empty()));
    }

    /** Status of the first endpoint. */
    public EtcdStatus status() throws EtcdException {
        return status(0);
    }

    /**
     * Streams a snapshot of the first endpoint's database into {@code out}; returns the bytes written. The deadline
     * covers the whole stream times {@code deadlineFactor}, since a large database takes longer than one call.
     */
    public long snapshot(OutputStream out, int deadlineFactor) throws EtcdException, IOException {
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos() * Math.max(1, deadlineFactor),
                TimeUnit.NANOSECONDS);
        long written = 0;
        try {
            Iterator<byte[]> chunks = ClientCalls.blockingServerStreamingCall(channels.getFirst(), SNAPSHOT, options,
                    EtcdWire.empty());
            while (chunks.hasNext()) {
                EtcdWire.SnapshotChunk chunk = EtcdWire.decodeSnapshotChunk(chunks.next());
                chunk.blob().writeTo(out);
                written += chunk.blob().size();
            }
        } catch (StatusRuntimeException e) {
            throw failure("Snapshot", endpoints.getFirst(), e);
        }
        if (written == 0) {
            throw new EtcdException(EtcdException.Reason.FAILED, "etcd " + endpoints.getFirst()
                    + " sent an empty snapshot");
        }
        return written;
    }

    private byte[] anyEndpoint(String what, MethodDescriptor<byte[], byte[]> method, byte[] request)
            throws EtcdException {
        EtcdException last = null;
        for (int i = 0; i < channels.size(); i++) {
            try {
                return call(i, what, method, request);
            } catch (EtcdException e) {
                if (e.reason() != EtcdException.Reason.UNAVAILABLE) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    private byte[] call(int index, String what, MethodDescriptor<byte[], byte[]> method, byte[] request)
            throws EtcdException {
        try {
            return ClientCalls.blockingUnaryCall(channels.get(index), method,
                    CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS), request);
        } catch (StatusRuntimeException e) {
            throw failure(what, endpoints.get(index), e);
        }
    }

    private EtcdException failure(String what, URI endpoint, StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        EtcdException.Reason reason = switch (code) {
            case UNAVAILABLE, DEADLINE_EXCEEDED -> EtcdException.Reason.UNAVAILABLE;
            case NOT_FOUND -> EtcdException.Reason.NOT_FOUND;
            case INVALID_ARGUMENT -> EtcdException.Reason.INVALID_ARGUMENT;
            case FAILED_PRECONDITION -> EtcdException.Reason.FAILED_PRECONDITION;
            default -> EtcdException.Reason.FAILED;
        };
        String detail = e.getStatus().getDescription();
        if (code == Status.Code.DEADLINE_EXCEEDED) {
            detail = "no answer within " + deadline.toMillis() + " ms";
        }
        return new EtcdException(reason, "etcd " + what + " at " + endpoint + " failed: " + code
                + (detail == null ? "" : " (" + detail + ")"), e);
    }

    @Override
    public void close() {
        for (ManagedChannel c : channels) {
            c.shutdownNow();
        }
        for (ManagedChannel c : channels) {
            try {
                c.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static MethodDescriptor<byte[], byte[]> unary(String name) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(name)
                .setRequestMarshaller(RawBytes.INSTANCE)
                .setResponseMarshaller(RawBytes.INSTANCE)
                .build();
    }

    /** Messages pass as bytes; {@link EtcdWire} encodes and decodes them. */
    private enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
