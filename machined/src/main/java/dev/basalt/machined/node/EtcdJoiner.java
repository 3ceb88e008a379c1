package dev.basalt.machined.node;

import dev.basalt.machined.etcd.EtcdException;
import dev.basalt.machined.etcd.EtcdNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a control-plane node does about etcd until it is a member: the node at the cluster endpoint waits for the
 * Bootstrap API and says so on the console periodically; every other control plane also watches the endpoint's
 * etcd client port and joins (MemberAdd, then start with existing state) once etcd answers there. Joins go in as
 * learners (promoted once caught up) and are retried until one succeeds.
 *
 * <p>Runs on its own thread; {@link #run()} returns once this node's etcd is planned.
 */
final class EtcdJoiner implements Runnable {
    static final int CLIENT_PORT = 2379;
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration CONNECT = Duration.ofSeconds(1);
    private static final Duration JOIN_WAIT = Duration.ofSeconds(60);
    private static final Duration REMIND = Duration.ofSeconds(20);

    private final EtcdNode etcd;
    private final String endpointHost;
    private final boolean atEndpoint;
    private final String hint;
    private final Consumer<String> console;

    /**
     * @param endpointHost host of {@code cluster.controlPlane.endpoint}
     * @param atEndpoint   whether this node is that host (then it never joins, it waits to be bootstrapped)
     * @param hint         the bootstrap command the reminder shows
     */
    EtcdJoiner(EtcdNode etcd, String endpointHost, boolean atEndpoint, String hint, Consumer<String> console) {
        this.etcd = etcd;
        this.endpointHost = endpointHost;
        this.atEndpoint = atEndpoint;
        this.hint = hint;
        this.console = console;
    }

    @Override
    public void run() {
        long lastReminder = 0;
        while (!etcd.planned()) {
            long now = System.nanoTime();
            if (lastReminder == 0 || now - lastReminder >= REMIND.toNanos()) {
                console.accept("waiting for bootstrap: etcd is not running; " + hint
                        + (atEndpoint ? "" : ", or this node joins once etcd answers at " + endpointHost + ":"
                        + CLIENT_PORT));
                lastReminder = now;
            }
            if (!atEndpoint && answers(endpointHost, CLIENT_PORT)) {
                try {
                    console.accept("etcd answers at " + endpointHost + ":" + CLIENT_PORT + "; joining the cluster");
                    // As a learner: etcd adds it without waiting for other joiners to start, so control planes
                    // join in parallel; it is promoted to a voting member once it has caught up.
                    etcd.join(List.of(URI.create("https://" + bracket(endpointHost) + ":" + CLIENT_PORT)), JOIN_WAIT,
                            true);
                    console.accept("joined etcd through " + endpointHost);
                    return;
                } catch (EtcdException e) {
                    console.accept("joining etcd through " + endpointHost + " failed (will retry): " + e.getMessage());
                } catch (InterruptedException e) {
                    return;
                }
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String bracket(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** A TCP connect: cheap, and bounded, unlike a full join attempt against a port nobody listens on. */
    static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) CONNECT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
