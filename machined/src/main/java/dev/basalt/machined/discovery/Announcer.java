package dev.basalt.machined.discovery;

import dev.basalt.machined.api.ClusterMembers;
import dev.basalt.machinery.api.MetadataKeys;
import dev.basalt.machinery.api.discovery.Affiliate;
import dev.basalt.machinery.api.discovery.GoodbyeRequest;
import dev.basalt.machinery.api.discovery.HelloRequest;
import dev.basalt.machinery.api.discovery.HelloResponse;
import dev.basalt.machinery.api.discovery.RegistryGrpc;
import dev.basalt.machinery.api.transport.Tls;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.MetadataUtils;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * A worker's side of discovery: every {@link #PERIOD} it announces itself (Hello) to every control plane it knows
 * (the endpoint host to begin with, then every control plane in the answers), adopts the member list of the
 * first that answers into the {@link MemberRegistry}, and says Goodbye to all of them when the node stops.
 * Announcing to every control plane keeps the worker listed on each of them, whichever one a client asks.
 *
 * <p>Thread-safe: {@link #run()} runs on one thread; {@link #goodbye()} may be called from another.
 */
public final class Announcer implements Runnable {
    public static final Duration PERIOD = Duration.ofSeconds(5);
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(3);
    private static final Duration GOODBYE_DEADLINE = Duration.ofSeconds(1);

    private final MemberRegistry registry;
    private final String seedHost;
    private final int port;
    private final SslContext tls;
    private final Metadata headers = new Metadata();
    private final Consumer<String> console;
    private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();
    private volatile boolean stopped;

    public Announcer(MemberRegistry registry, String seedHost, int port, X509Certificate osCa, String token,
                     Consumer<String> console) throws SSLException {
        this.registry = registry;
        this.seedHost = seedHost;
        this.port = port;
        this.tls = Tls.client(Optional.empty(), osCa);
        this.headers.put(Metadata.Key.of(MetadataKeys.TOKEN, Metadata.ASCII_STRING_MARSHALLER), token);
        this.console = console;
    }

    private synchronized ManagedChannel channel(String host) {
        return channels.computeIfAbsent(host, h -> NettyChannelBuilder.forAddress(h, port).sslContext(tls).build());
    }

    private RegistryGrpc.RegistryBlockingStub stub(String host, Duration deadline) {
        return RegistryGrpc.newBlockingStub(channel(host))
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private final Set<String> targets = new java.util.concurrent.CopyOnWriteArraySet<>();

    @Override
    public void run() {
        targets.add(seedHost);
        Affiliate self = RegistryServer.affiliate(registry.self());
        boolean announced = false;
        String lastProblem = "";
        while (!stopped) {
            List<ClusterMembers.Member> adopted = null;
            List<String> problems = new ArrayList<>();
            for (String host : List.copyOf(targets)) {
                try {
                    HelloResponse reply = stub(host, CALL_DEADLINE).hello(HelloRequest.newBuilder()
                            .setAffiliate(self).build());
                    if (adopted == null) {
                        adopted = reply.getMembersList().stream().map(RegistryServer::member).toList();
                    }
                    for (Affiliate a : reply.getMembersList()) {
                        if (a.getMachineType().equals("controlplane") && !a.getAddressesList().isEmpty()) {
                            targets.add(a.getAddresses(0));
                        }
                    }
                } catch (StatusRuntimeException e) {
                    problems.add(host + ": " + e.getStatus().getCode());
                }
            }
            if (adopted != null) {
                registry.adopt(adopted);
                if (!announced) {
                    console.accept("announced to the discovery registry at " + targets + "; " + adopted.size()
                            + " member(s) known");
                    announced = true;
                }
            }
            String problem = String.join(", ", problems);
            if (!problem.isEmpty() && !problem.equals(lastProblem)) {
                console.accept("discovery registry not answering: " + problem + " (will retry)");
            }
            lastProblem = problem;
            try {
                Thread.sleep(PERIOD);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Tells every known control plane this node is leaving, each call bounded; then closes the channels. */
    public void goodbye() {
        stopped = true;
        for (String host : List.copyOf(targets)) {
            try {
                stub(host, GOODBYE_DEADLINE).goodbye(GoodbyeRequest.newBuilder()
                        .setNodeId(registry.self().nodeId()).build());
            } catch (StatusRuntimeException e) {
                // the control plane is gone too; its copy expires with the TTL
            }
        }
        synchronized (this) {
            channels.values().forEach(ManagedChannel::shutdownNow);
        }
    }
}
