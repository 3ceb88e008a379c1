package dev.basalt.ctl.etcd;

import dev.basalt.ctl.cli.CliException;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.machinery.api.common.Metadata;
import dev.basalt.machinery.client.NodeClient;
import dev.basalt.machinery.clientconfig.ClientConfig;
import dev.basalt.machinery.clientconfig.ClientConfigException;
import dev.basalt.machinery.clientconfig.ClientContext;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The client side of the cluster commands (bootstrap, etcd, health): the client config chosen by the global flags
 * (--basaltconfig / $BASALTCONFIG / ~/.basalt/config, --context), its endpoints (-e overrides) and target nodes
 * (-n overrides). gRPC failures become {@link CliException}s that name the status.
 *
 * <p>Not thread-safe for setup; {@link #call} may be used from several threads (the client is thread-safe).
 */
public final class ClusterSession implements AutoCloseable {
    private final NodeClient client;
    private final List<String> nodes;
    private final List<String> endpoints;

    private ClusterSession(NodeClient client, List<String> nodes, List<String> endpoints) {
        this.client = client;
        this.nodes = nodes;
        this.endpoints = endpoints;
    }

    public static ClusterSession open(Invocation inv) {
        String flag = inv.string("basaltconfig").isEmpty() ? inv.string("talosconfig") : inv.string("basaltconfig");
        Path path = ClientConfig.resolvePath(flag, inv.variables(), inv.home());
        ClientConfig config;
        try {
            config = ClientConfig.load(path);
            if (!inv.string("context").isEmpty()) {
                config = config.select(inv.string("context"));
            }
        } catch (ClientConfigException e) {
            throw new CliException(e.getMessage(), e);
        }
        ClientContext context = config.current().orElseThrow(() -> new CliException("client config " + path
                + " has no current context; select one with 'basaltctl config context NAME'"));
        List<String> nodes = inv.strings("nodes").isEmpty() ? context.nodes() : inv.strings("nodes");
        List<String> endpoints = inv.strings("endpoints").isEmpty() ? context.endpoints() : inv.strings("endpoints");
        try {
            return new ClusterSession(NodeClient.of(context, inv.strings("endpoints")), nodes, endpoints);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    /** The target nodes (-n, or the context's). */
    public List<String> nodes() {
        return nodes;
    }

    public List<String> endpoints() {
        return endpoints;
    }

    /** Exactly one target node, for operations that must not fan out (bootstrap, snapshot, leave). */
    public String singleNode(String command) {
        if (nodes.size() != 1) {
            throw new CliException(command + " needs exactly one target node (-n NODE), got "
                    + (nodes.isEmpty() ? "none" : nodes));
        }
        return nodes.getFirst();
    }

    /** Runs a call with failover across endpoints, targeting {@code targets} (empty: the endpoint's own node). */
    public <T> T call(List<String> targets, Function<Channel, T> call) {
        try {
            return client.call(targets, call);
        } catch (StatusRuntimeException e) {
            throw new CliException(describe(e), e);
        }
    }

    /** Like {@link #call} but leaves the gRPC failure to the caller (health checks name the failing node). */
    public <T> T callRaw(List<String> targets, Function<Channel, T> call) {
        return client.call(targets, call);
    }

    public static String describe(StatusRuntimeException e) {
        return e.getStatus().getCode() + (e.getStatus().getDescription() == null ? ""
                : ": " + e.getStatus().getDescription());
    }

    /** The NODE column: the hostname a reply came from, or the node it was sent to. */
    public static String node(Metadata metadata, String target) {
        return metadata.getHostname().isEmpty() ? target : metadata.getHostname();
    }

    /** Prints rows under a header with columns padded to their widest cell. */
    public static void table(PrintStream out, List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < row.size() && i < width.length; i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    line.append("   ");
                }
                line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + width[i] + "s", row.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
