package dev.basalt.apid.proxy;

import dev.basalt.apid.auth.CallerRoles;
import dev.basalt.machinery.api.AccessTable;
import dev.basalt.machinery.api.CallShape;
import dev.basalt.machinery.api.MetadataKeys;
import dev.basalt.machinery.api.ReplyFraming;
import dev.basalt.machinery.api.Role;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Relays one node-API call (unary or server-streaming) as opaque bytes:
 * <ul>
 * <li>no routing metadata: to this node's machined;</li>
 * <li>{@code node}: transparently to that node's apid (status, headers and messages unchanged);</li>
 * <li>{@code nodes}: to every node at once, each with its own deadline; unary replies are concatenated into
 *     one aggregate, streamed messages are interleaved as they come, and a node that fails becomes a
 *     metadata-only entry naming it and its error.</li>
 * </ul>
 * Flow control follows the caller: a backend is asked for its next message only when the caller can take
 * one.
 *
 * <p>Thread-safe: one instance serves all calls; per-call state lives in the call's listeners.
 */
public final class ProxyHandler implements ServerCallHandler<byte[], byte[]> {
    private static final Metadata.Key<String> FORWARDED_ROLE =
            Metadata.Key.of(MetadataKeys.FORWARDED_ROLE, Metadata.ASCII_STRING_MARSHALLER);
    private static final Set<String> NOT_FORWARDED = Set.of(MetadataKeys.NODE, MetadataKeys.NODES,
            MetadataKeys.FORWARDED_ROLE, "content-type", "user-agent", "te", "grpc-accept-encoding",
            "grpc-encoding", "grpc-timeout", "authorization");

    private final Backends backends;
    private final Duration nodeTimeout;

    /**
     * @param nodeTimeout deadline of each node's part of a fanned-out unary call (the caller's own deadline
     *                    still applies when it is shorter)
     */
    public ProxyHandler(Backends backends, Duration nodeTimeout) {
        this.backends = backends;
        this.nodeTimeout = nodeTimeout;
    }

    @Override
    public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> call, Metadata headers) {
        MethodDescriptor<byte[], byte[]> method = call.getMethodDescriptor();
        MethodDescriptor.MethodType type = method.getType();
        if (type != MethodDescriptor.MethodType.UNARY && type != MethodDescriptor.MethodType.SERVER_STREAMING) {
            call.close(Status.UNIMPLEMENTED.withDescription(method.getFullMethodName() + " is " + type
                    + "; apid relays unary and server-streaming methods"), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        Routing routing;
        try {
            routing = Routing.of(headers);
            if (routing instanceof Routing.Many many && many.nodes().size() == 1) {
                routing = new Routing.One(many.nodes().getFirst());
            }
            if (routing instanceof Routing.Many many
                    && AccessTable.lookup(method.getFullMethodName()).shape() == CallShape.SINGLE_NODE) {
                throw new IllegalArgumentException(method.getFullMethodName() + " replies carry no node metadata "
                        + "and cannot be fanned out to " + many.nodes() + "; call each node with \"node\"");
            }
        } catch (IllegalArgumentException e) {
            call.close(Status.INVALID_ARGUMENT.withDescription(e.getMessage()), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        Set<Role> roles = CallerRoles.KEY.get();
        Metadata outgoing = forwardable(headers);
        call.request(1);
        return new RequestListener(call, routing, outgoing, roles == null ? Set.of() : roles);
    }

    /** Copies the caller's metadata minus routing, transport and role keys. */
    static Metadata forwardable(Metadata headers) {
        Metadata out = new Metadata();
        for (String key : headers.keys()) {
            if (NOT_FORWARDED.contains(key) || key.startsWith(":") || key.startsWith("grpc-")) {
                continue;
            }
            if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                Metadata.Key<byte[]> k = Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER);
                for (byte[] v : headers.getAll(k)) {
                    out.put(k, v);
                }
            } else {
                Metadata.Key<String> k = Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER);
                for (String v : headers.getAll(k)) {
                    out.put(k, v);
                }
            }
        }
        return out;
    }

    private final class RequestListener extends ServerCall.Listener<byte[]> {
        private final ServerCall<byte[], byte[]> call;
        private final Routing routing;
        private final Metadata outgoing;
        private final Set<Role> roles;
        private byte[] request;
        private Runnable onReady = () -> { };
        private final List<ClientCall<byte[], byte[]>> started = new ArrayList<>();
        private final Context context = Context.current();

        RequestListener(ServerCall<byte[], byte[]> call, Routing routing, Metadata outgoing, Set<Role> roles) {
            this.call = call;
            this.routing = routing;
            this.outgoing = outgoing;
            this.roles = roles;
        }

        @Override
        public void onMessage(byte[] message) {
            request = message;
        }

        @Override
        public void onHalfClose() {
            if (request == null) {
                call.close(Status.INVALID_ARGUMENT.withDescription("no request message"), new Metadata());
                return;
            }
            try {
                switch (routing) {
                    case Routing.Local l -> relay(backends.local(), false);
                    case Routing.One one -> {
                        NodeAddress node = NodeAddress.parse(one.node());
                        if (backends.isSelf(node)) {
                            relay(backends.local(), false);
                        } else {
                            relay(backends.remote(node), true);
                        }
                    }
                    case Routing.Many many -> fanOut(many.nodes());
                }
            } catch (IllegalArgumentException e) {
                call.close(Status.INVALID_ARGUMENT.withDescription(e.getMessage()), new Metadata());
            }
        }

        @Override
        public void onReady() {
            onReady.run();
        }

        @Override
        public void onCancel() {
            synchronized (started) {
                for (ClientCall<byte[], byte[]> c : started) {
                    c.cancel("caller cancelled", null);
                }
            }
        }

        /** Headers of one backend call; {@code only} when this call has a single backend, which may keep them. */
        private Metadata headersFor(boolean remote, boolean only) {
            if (only && !remote) {
                return outgoing;
            }
            Metadata h = new Metadata();
            h.merge(outgoing);
            if (remote) {
                // the next apid sees our certificate (os:impersonator) and acts with the caller's roles
                for (Role role : roles) {
                    h.put(FORWARDED_ROLE, role.organization());
                }
            }
            return h;
        }

        private CallOptions options(Deadline perCall) {
            Deadline callerDeadline = context.getDeadline();
            Deadline d = callerDeadline == null ? perCall
                    : perCall == null ? callerDeadline : callerDeadline.minimum(perCall);
            return d == null ? CallOptions.DEFAULT : CallOptions.DEFAULT.withDeadline(d);
        }

        private ClientCall<byte[], byte[]> newCall(Channel channel, CallOptions options) {
            ClientCall<byte[], byte[]> c = channel.newCall(call.getMethodDescriptor(), options);
            synchronized (started) {
                started.add(c);
            }
            return c;
        }

        /** One backend: headers, messages and status pass through unchanged. */
        private void relay(Channel channel, boolean remote) {
            ClientCall<byte[], byte[]> backend = newCall(channel, options(null));
            AtomicBoolean waiting = new AtomicBoolean();
            onReady = () -> {
                if (waiting.compareAndSet(true, false)) {
                    backend.request(1);
                }
            };
            backend.start(new ClientCall.Listener<>() {
                @Override
                public void onHeaders(Metadata headers) {
                    call.sendHeaders(headers);
                }

                @Override
                public void onMessage(byte[] message) {
                    call.sendMessage(message);
                    if (call.isReady()) {
                        backend.request(1);
                    } else {
                        waiting.set(true);
                        if (call.isReady() && waiting.compareAndSet(true, false)) {
                            backend.request(1);
                        }
                    }
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    call.close(status, trailers);
                }
            }, headersFor(remote, true));
            backend.sendMessage(request);
            backend.halfClose();
            backend.request(1);
        }

        /** Several backends, one aggregated answer. */
        private void fanOut(List<String> nodes) {
            boolean unary = call.getMethodDescriptor().getType() == MethodDescriptor.MethodType.UNARY;
            Object lock = new Object();
            AtomicInteger remaining = new AtomicInteger(nodes.size());
            byte[][] replies = new byte[nodes.size()][];
            ConcurrentLinkedQueue<ClientCall<byte[], byte[]>> paused = new ConcurrentLinkedQueue<>();
            onReady = () -> {
                ClientCall<byte[], byte[]> c;
                while (call.isReady() && (c = paused.poll()) != null) {
                    c.request(1);
                }
            };
            call.sendHeaders(new Metadata());
            for (int i = 0; i < nodes.size(); i++) {
                int index = i;
                String name = nodes.get(i);
                Runnable finishOne = () -> {
                    if (remaining.decrementAndGet() == 0) {
                        synchronized (lock) {
                            if (unary) {
                                call.sendMessage(ReplyFraming.concat(java.util.Arrays.asList(replies)));
                            }
                            call.close(Status.OK, new Metadata());
                        }
                    }
                };
                NodeAddress node;
                try {
                    node = NodeAddress.parse(name);
                } catch (IllegalArgumentException e) {
                    Status bad = Status.INVALID_ARGUMENT.withDescription(e.getMessage());
                    if (unary) {
                        replies[index] = ReplyFraming.unaryError(name, bad);
                    } else {
                        synchronized (lock) {
                            call.sendMessage(ReplyFraming.streamError(name, bad));
                        }
                    }
                    finishOne.run();
                    continue;
                }
                boolean self = backends.isSelf(node);
                Channel channel = self ? backends.local() : backends.remote(node);
                Deadline perNode = unary ? Deadline.after(nodeTimeout.toNanos(), TimeUnit.NANOSECONDS) : null;
                ClientCall<byte[], byte[]> backend = newCall(channel, options(perNode));
                backend.start(new ClientCall.Listener<>() {
                    @Override
                    public void onMessage(byte[] message) {
                        if (unary) {
                            replies[index] = message;
                            return;
                        }
                        synchronized (lock) {
                            call.sendMessage(message);
                        }
                        if (call.isReady()) {
                            backend.request(1);
                        } else {
                            paused.add(backend);
                            onReady.run();
                        }
                    }

                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        if (!status.isOk()) {
                            if (unary) {
                                replies[index] = ReplyFraming.unaryError(name, status);
                            } else {
                                synchronized (lock) {
                                    call.sendMessage(ReplyFraming.streamError(name, status));
                                }
                            }
                        } else if (unary && replies[index] == null) {
                            replies[index] = ReplyFraming.unaryError(name,
                                    Status.INTERNAL.withDescription("node closed the call without a reply"));
                        }
                        finishOne.run();
                    }
                }, headersFor(!self, false));
                backend.sendMessage(request);
                backend.halfClose();
                backend.request(unary ? 2 : 1);
            }
        }
    }
}
