package dev.basalt.ctl.node;

import dev.basalt.ctl.cli.CliException;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.machinery.api.common.Metadata;
import dev.basalt.machinery.client.MaintenanceTrust;
import dev.basalt.machinery.client.NodeClient;
import dev.basalt.machinery.clientconfig.ClientConfig;
import dev.basalt.machinery.clientconfig.ClientConfigException;
import dev.basalt.machinery.clientconfig.ClientContext;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * What a node command needs from the global flags: the client config (--basaltconfig / $BASALTCONFIG /
 * ~/.basalt/config, --context), the endpoints (-e overrides the context's) and the target nodes (-n overrides
 * the context's). Turns gRPC failures into {@link CliException}s naming the status.
 *
 * <p>Not thread-safe; one per command run.
 */
public final class ApiSession implements AutoCloseable {
    private final NodeClient client;
    private final List<String> nodes;

    private ApiSession(NodeClient client, List<String> nodes) {
        this.client = client;
        this.nodes = nodes;
    }

    static Path configPath(Invocation inv) {
        String flag = inv.string("basaltconfig").isEmpty() ? inv.string("talosconfig") : inv.string("basaltconfig");
        return ClientConfig.resolvePath(flag, inv.variables(), inv.home());
    }

    public static ApiSession open(Invocation inv) {
        if (inv.bool("insecure")) {
            // Maintenance mode: the nodes are the endpoints themselves, there is no apid to route through.
            List<String> targets = inv.strings("nodes").isEmpty() ? inv.strings("endpoints") : inv.strings("nodes");
            try {
                MaintenanceTrust trust = MaintenanceTrust.of(inv.string("cert-fingerprint").isEmpty()
                        ? java.util.Optional.empty() : java.util.Optional.of(inv.string("cert-fingerprint")));
                return new ApiSession(NodeClient.insecure(targets, trust), List.of());
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage(), e);
            }
        }
        if (!inv.string("cert-fingerprint").isEmpty()) {
            throw new CliException("--cert-fingerprint applies only with --insecure (a node in maintenance mode)");
        }
        Path path = configPath(inv);
        ClientConfig config;
        try {
            config = ClientConfig.load(path);
        } catch (ClientConfigException e) {
            throw new CliException(e.getMessage(), e);
        }
        if (!inv.string("context").isEmpty()) {
            config = config.select(inv.string("context"));
        }
        ClientContext context = config.current().orElseThrow(() -> new CliException("client config " + path
                + " has no current context; select one with 'basaltctl config context NAME'"));
        List<String> nodes = inv.strings("nodes").isEmpty() ? context.nodes() : inv.strings("nodes");
        try {
            return new ApiSession(NodeClient.of(context, inv.strings("endpoints")), nodes);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    public List<String> nodes() {
        return nodes;
    }

    /** Runs a call with failover across endpoints, targeting the session's nodes. */
    public <T> T call(Function<Channel, T> call) {
        return call(nodes, call);
    }

    <T> T call(List<String> targets, Function<Channel, T> call) {
        try {
            return client.call(targets, call);
        } catch (StatusRuntimeException e) {
            throw new CliException(describe(e), e);
        }
    }

    static String describe(StatusRuntimeException e) {
        String text = e.getStatus().getCode() + (e.getStatus().getDescription() == null ? ""
                : ": " + e.getStatus().getDescription());
        // A refused certificate (e.g. a wrong --cert-fingerprint) is only visible in the transport's cause chain.
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException) {
                return "TLS handshake refused: " + t.getMessage();
            }
        }
        return text;
    }

    /** The NODE column: the hostname a reply came from, or the target it was sent to. */
    public String node(Metadata metadata) {
        if (!metadata.getHostname().isEmpty()) {
            return metadata.getHostname();
        }
        return nodes.size() == 1 ? nodes.getFirst() : "";
    }

    @Override
    public void close() {
        client.close();
    }
}
