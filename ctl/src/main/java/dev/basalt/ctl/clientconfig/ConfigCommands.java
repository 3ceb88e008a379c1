package dev.basalt.ctl.clientconfig;

import dev.basalt.ctl.cli.CliException;
import dev.basalt.ctl.cli.Command;
import dev.basalt.ctl.cli.CommandGroup;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.ctl.cli.UsageException;
import dev.basalt.machinery.clientconfig.ClientConfig;
import dev.basalt.machinery.clientconfig.ClientConfigException;
import dev.basalt.machinery.clientconfig.ClientContext;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code basaltctl config endpoint|node|merge|contexts|context}: edits the client config (the file named by
 * --basaltconfig, $BASALTCONFIG or ~/.basalt/config) the way talosctl edits a talosconfig.
 */
public final class ConfigCommands {
    private ConfigCommands() {
    }

    public static CommandGroup group() {
        return new CommandGroup("config", "Manage the client configuration file (basaltconfig)",
                List.of(new Endpoint(), new Node(), new Merge(), new Contexts(), new Context()));
    }

    static Path path(Invocation inv) {
        String flag = inv.string("basaltconfig").isEmpty() ? inv.string("talosconfig") : inv.string("basaltconfig");
        return ClientConfig.resolvePath(flag, inv.variables(), inv.home());
    }

    private static ClientConfig load(Invocation inv) {
        try {
            ClientConfig config = ClientConfig.load(path(inv));
            return inv.string("context").isEmpty() ? config : config.select(inv.string("context"));
        } catch (ClientConfigException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    private static String currentName(ClientConfig config, Path path) {
        if (config.current().isEmpty()) {
            throw new CliException("client config " + path + " has no current context; select one with "
                    + "'basaltctl config context NAME'");
        }
        return config.context();
    }

    /** {@code config endpoint HOST...}: replaces the current context's endpoints. */
    static final class Endpoint implements Command {
        @Override
        public String name() {
            return "endpoint";
        }

        @Override
        public String summary() {
            return "Set the endpoint(s) for the current context";
        }

        @Override
        public String arguments() {
            return "ENDPOINT...";
        }

        @Override
        public int run(Invocation inv) {
            if (inv.args().isEmpty()) {
                throw new UsageException("'config endpoint' needs at least one endpoint");
            }
            for (String e : inv.args()) {
                try {
                    dev.basalt.machinery.client.Endpoint.parse(e);
                } catch (IllegalArgumentException ex) {
                    throw new UsageException(ex.getMessage());
                }
            }
            ClientConfig config = load(inv);
            String name = currentName(config, path(inv));
            ClientContext ctx = config.current().orElseThrow();
            config.withContext(name, ctx.withEndpoints(inv.args())).save(path(inv));
            return 0;
        }
    }

    /** {@code config node NODE...}: replaces the current context's default nodes. */
    static final class Node implements Command {
        @Override
        public String name() {
            return "node";
        }

        @Override
        public String summary() {
            return "Set the node(s) for the current context";
        }

        @Override
        public String arguments() {
            return "NODE...";
        }

        @Override
        public int run(Invocation inv) {
            ClientConfig config = load(inv);
            String name = currentName(config, path(inv));
            config.withContext(name, config.current().orElseThrow().withNodes(inv.args())).save(path(inv));
            return 0;
        }
    }

    /** {@code config merge FILE}: adds another config's contexts (renaming clashes) and selects its context. */
    static final class Merge implements Command {
        @Override
        public String name() {
            return "merge";
        }

        @Override
        public String summary() {
            return "Merge additional contexts from another client config into the default config";
        }

        @Override
        public String arguments() {
            return "FILE";
        }

        @Override
        public int run(Invocation inv) {
            Path from = inv.path(inv.requireArgs("FILE").getFirst());
            Path to = path(inv);
            try {
                ClientConfig other = ClientConfig.load(from);
                Map<String, String> renamed = new LinkedHashMap<>();
                ClientConfig merged = ClientConfig.loadOrEmpty(to).merge(other, renamed);
                merged.save(to);
                renamed.forEach((a, b) -> inv.err().println("renamed basaltconfig context \"" + a + "\" -> \"" + b + "\""));
            } catch (ClientConfigException e) {
                throw new CliException(e.getMessage(), e);
            }
            return 0;
        }
    }

    /** {@code config contexts}: lists contexts, marking the current one. */
    static final class Contexts implements Command {
        @Override
        public String name() {
            return "contexts";
        }

        @Override
        public String summary() {
            return "List defined contexts";
        }

        @Override
        public int run(Invocation inv) {
            inv.requireArgs();
            ClientConfig config = load(inv);
            inv.out().printf("%-8s %-20s %-30s %s%n", "CURRENT", "NAME", "ENDPOINTS", "NODES");
            for (Map.Entry<String, ClientContext> e : config.contexts().entrySet()) {
                inv.out().printf("%-8s %-20s %-30s %s%n", e.getKey().equals(config.context()) ? "*" : "", e.getKey(),
                        String.join(",", e.getValue().endpoints()), String.join(",", e.getValue().nodes()));
            }
            return 0;
        }
    }

    /** {@code config context NAME}: selects the current context. */
    static final class Context implements Command {
        @Override
        public String name() {
            return "context";
        }

        @Override
        public String summary() {
            return "Set the current context";
        }

        @Override
        public String arguments() {
            return "NAME";
        }

        @Override
        public int run(Invocation inv) {
            String name = inv.requireArgs("NAME").getFirst();
            try {
                ClientConfig.load(path(inv)).select(name).save(path(inv));
            } catch (ClientConfigException e) {
                throw new CliException(e.getMessage(), e);
            }
            return 0;
        }
    }
}
