package dev.basalt.bench.apid;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.basalt.machinery.api.MetadataKeys;
import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import dev.basalt.machinery.api.security.CertificateRequest;
import dev.basalt.machinery.api.security.SecurityServiceGrpc;
import dev.basalt.machinery.api.transport.Tls;
import dev.basalt.machinery.api.transport.UnixSockets;
import dev.basalt.machinery.client.NodeClient;
import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.Csr;
import dev.basalt.machinery.pki.KeyType;
import dev.basalt.machinery.pki.Pem;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.stub.MetadataUtils;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Load generator of bench/apid: drives Version (or trustd Certificate) with a fixed number of calls in flight for
 * a fixed time after a warm-up, and prints p50/p99 latency and throughput per path. Prints figures only; asserts
 * nothing.
 * <pre>
 *   ApidBench --cluster DIR [--nginx PORT --nginx-pid FILE] [--seconds N] [--concurrency C] [--paths P,...]
 * </pre>
 * P is one of direct, apid, nginx, node, fanout, trustd (default: all), so one path can be driven alone
 * while a daemon is being profiled.
 * Also prints the CPU time the serving processes (apid, nginx, trustd; see --nginx-pid FILE) spent per measured
 * call. DIR is a node-stack cluster (apid/scripts/node-stack) with nodes 1..3 running.
 */
public final class ApidBench {
    private static final String[] ALL_PATHS = {"direct", "apid", "nginx", "node", "fanout", "trustd"};

    private ApidBench() {
    }

    /** Latencies and throughput of one measured path. */
    record Result(String path, long calls, double seconds, long p50Micros, long p99Micros, long errors,
                  double serverCpuMicrosPerCall) {
        String line() {
            String cpu = Double.isNaN(serverCpuMicrosPerCall) ? "       -" : String.format("%8.0f", serverCpuMicrosPerCall);
            return String.format("%-34s %10.0f calls/s   p50 %8.3f ms   p99 %8.3f ms   server CPU %s us/call   "
                    + "(%d calls, %d errors)", path, calls / seconds, p50Micros / 1000.0, p99Micros / 1000.0, cpu,
                    calls, errors);
        }
    }

    /**
     * The processes serving a path (the relay or signer, not machined, not this client), whose CPU time per
     * measured call is printed: on a shared, noisy machine it compares proxies more steadily than wall-clock
     * rates do.
     */
    record Servers(List<Long> pids) {
        static Servers none() {
            return new Servers(List.of());
        }

        static Servers of(Path cluster, String... daemons) throws java.io.IOException {
            List<Long> pids = new ArrayList<>();
            for (String daemon : daemons) {
                pids.add(Long.parseLong(Files.readString(cluster.resolve(daemon + ".pid")).trim()));
            }
            return new Servers(pids);
        }

        /** nginx's master and its workers, from the master's pid file. */
        static Servers nginx(Path pidFile) throws java.io.IOException {
            long master = Long.parseLong(Files.readString(pidFile).trim());
            List<Long> pids = new ArrayList<>(List.of(master));
            Path children = Path.of("/proc", Long.toString(master), "task", Long.toString(master), "children");
            for (String child : Files.readString(children).trim().split("\\s+")) {
                if (!child.isEmpty()) {
                    pids.add(Long.parseLong(child));
                }
            }
            return new Servers(pids);
        }

        /** User + system CPU time of all the processes, in clock ticks (USER_HZ, 100 per second on Linux). */
        long ticks() {
            long sum = 0;
            for (long pid : pids) {
                try {
                    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                    // fields after the command name, which is in parentheses and may contain spaces
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (java.io.IOException | RuntimeException e) {
                    return -1;
                }
            }
            return sum;
        }
    }

    public static void main(String[] args) throws Exception {
        Path cluster = null;
        int nginxPort = 0;
        Path nginxPid = null;
        int seconds = 10;
        int concurrency = 16;
        Set<String> paths = Set.of(ALL_PATHS);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cluster" -> cluster = Path.of(args[++i]);
                case "--nginx" -> nginxPort = Integer.parseInt(args[++i]);
                case "--nginx-pid" -> nginxPid = Path.of(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--paths" -> {
                    paths = Set.of(args[++i].split(","));
                    for (String p : paths) {
                        if (!List.of(ALL_PATHS).contains(p)) {
                            throw new IllegalArgumentException("--paths names \"" + p + "\"; expected some of "
                                    + String.join(",", ALL_PATHS));
                        }
                    }
                }
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        if (cluster == null) {
            throw new IllegalArgumentException("--cluster DIR is required");
        }
        var ca = Pem.decodeCertificate(Files.readString(cluster.resolve("ca.crt")));
        CertificateAndKey admin = CertificateAndKey.fromPem(Files.readString(cluster.resolve("admin.crt")),
                Files.readString(cluster.resolve("admin.key")));
        var clientTls = Tls.client(Optional.of(admin), ca);
        EventLoopGroup group = UnixSockets.eventLoopGroup(2);
        List<ManagedChannel> channels = new ArrayList<>();
        ManagedChannel direct = UnixSockets.channel(cluster.resolve("node1/machined.sock"), group);
        ManagedChannel apid1 = tls("127.0.0.1:50010", clientTls);
        ManagedChannel nginx = nginxPort == 0 ? null : tls("127.0.0.1:" + nginxPort, clientTls);
        ManagedChannel trustd = tls("127.0.0.1:50011", Tls.client(Optional.empty(), ca));
        channels.addAll(Arrays.asList(direct, apid1, trustd));
        if (nginx != null) {
            channels.add(nginx);
        }
        List<Result> results = new ArrayList<>();
        Duration warm = Duration.ofSeconds(Math.max(2, seconds / 3));
        Duration run = Duration.ofSeconds(seconds);
        if (paths.contains("direct")) {
            results.add(version("direct to machined (unix socket)", direct, Servers.none(), concurrency, warm, run));
        }
        if (paths.contains("apid")) {
            results.add(version("through apid (mTLS)", apid1, Servers.of(cluster, "node1/apid"), concurrency, warm,
                    run));
        }
        if (nginx != null && paths.contains("nginx")) {
            results.add(version("through nginx grpc_pass (TLS)", nginx,
                    nginxPid == null ? Servers.none() : Servers.nginx(nginxPid), concurrency, warm, run));
        }
        if (paths.contains("node")) {
            results.add(version("through apid -> apid (node)", NodeClient.targeting(apid1,
                    List.of("127.0.0.1:50020")), Servers.of(cluster, "node1/apid", "node2/apid"), concurrency, warm,
                    run));
        }
        if (paths.contains("fanout")) {
            results.add(version("fan-out to 3 nodes (nodes)", NodeClient.targeting(apid1,
                    List.of("127.0.0.1:50010", "127.0.0.1:50020", "127.0.0.1:50030")),
                    Servers.of(cluster, "node1/apid", "node2/apid", "node3/apid"), concurrency, warm, run));
        }
        if (paths.contains("trustd")) {
            results.add(certificates(trustd, Files.readString(cluster.resolve("token")).trim(),
                    Servers.of(cluster, "node1/trustd"), concurrency, warm, run));
        }
        System.out.println();
        System.out.println("bench/apid: Version, " + concurrency + " calls in flight, " + seconds + " s per path after "
                + warm.toSeconds() + " s warm-up");
        for (Result r : results) {
            System.out.println(r.line());
        }
        channels.forEach(ManagedChannel::shutdownNow);
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    private static ManagedChannel tls(String target, io.grpc.netty.shaded.io.netty.handler.ssl.SslContext tls) {
        return NettyChannelBuilder.forTarget(target).negotiationType(NegotiationType.TLS).sslContext(tls)
                .overrideAuthority("127.0.0.1").build();
    }

    private static Result version(String name, Channel channel, Servers servers, int concurrency, Duration warm,
                                  Duration run) throws InterruptedException {
        var stub = MachineServiceGrpc.newFutureStub(channel);
        return drive(name, c -> stub.withDeadlineAfter(30, TimeUnit.SECONDS).version(Empty.getDefaultInstance()),
                servers, concurrency, warm, run);
    }

    private static Result certificates(Channel channel, String token, Servers servers, int concurrency,
                                       Duration warm, Duration run) throws InterruptedException {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of(MetadataKeys.TOKEN, Metadata.ASCII_STRING_MARSHALLER), token);
        var stub = SecurityServiceGrpc.newFutureStub(ClientInterceptors.intercept(channel,
                MetadataUtils.newAttachHeadersInterceptor(headers)));
        // A pool of distinct CSRs made up front, so the figure is trustd's signing, not our key generation.
        List<CertificateRequest> requests = new ArrayList<>();
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 256; i++) {
            requests.add(CertificateRequest.newBuilder().setCsr(ByteString.copyFrom(Csr.generate(
                    KeyType.ED25519.generate(random), "node-" + i, List.of(), List.of("node-" + i),
                    List.of(InetAddress.getLoopbackAddress())).pem(), StandardCharsets.US_ASCII)).build());
        }
        AtomicLong next = new AtomicLong();
        return drive("trustd Certificate (certs/s)", c -> stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                .certificate(requests.get((int) (next.getAndIncrement() % requests.size()))), servers, concurrency, warm,
                run);
    }

    /** Keeps {@code concurrency} calls in flight; measures only calls started after the warm-up. */
    private static <T> Result drive(String name, Function<Void, ListenableFuture<T>> call, Servers servers,
                                    int concurrency, Duration warm, Duration run) throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        long[] latencies = new long[1 << 22];
        AtomicLong count = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + warm.toNanos();
        long end = measureFrom + run.toNanos();
        long ticksAtStart = -1;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            if (ticksAtStart < 0 && now >= measureFrom) {
                ticksAtStart = servers.ticks();
            }
            if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            long began = System.nanoTime();
            boolean measured = began >= measureFrom;
            Futures.addCallback(call.apply(null), new FutureCallback<T>() {
                @Override
                public void onSuccess(T result) {
                    record(System.nanoTime() - began);
                }

                @Override
                public void onFailure(Throwable t) {
                    if (measured) {
                        errors.incrementAndGet();
                    }
                    record(System.nanoTime() - began);
                }

                private void record(long nanos) {
                    if (measured) {
                        long i = count.getAndIncrement();
                        if (i < latencies.length) {
                            latencies[(int) i] = nanos;
                        }
                    }
                    slots.release();
                }
            }, MoreExecutors.directExecutor());
        }
        slots.acquire(concurrency);
        long ticksAtEnd = servers.ticks();
        double cpuPerCall = servers.pids().isEmpty() || ticksAtStart < 0 || ticksAtEnd < 0 || count.get() == 0
                ? Double.NaN : (ticksAtEnd - ticksAtStart) * 10_000.0 / count.get();
        int n = (int) Math.min(count.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        long p50 = n == 0 ? 0 : sorted[(int) (n * 0.50)] / 1000;
        long p99 = n == 0 ? 0 : sorted[Math.min(n - 1, (int) (n * 0.99))] / 1000;
        return new Result(name, count.get(), run.toNanos() / 1e9, p50, p99, errors.get(), cpuPerCall);
    }
}
