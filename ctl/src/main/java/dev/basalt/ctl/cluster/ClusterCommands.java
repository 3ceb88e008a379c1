package dev.basalt.ctl.cluster;

import dev.basalt.ctl.cli.Cli;
import dev.basalt.ctl.cli.CliException;
import dev.basalt.ctl.cli.Command;
import dev.basalt.ctl.cli.CommandGroup;
import dev.basalt.ctl.cli.Flag;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.machinery.api.BuildInfo;
import dev.basalt.machinery.clientconfig.ClientConfig;
import dev.basalt.machinery.clientconfig.ClientContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code basaltctl cluster create|show|destroy}: local clusters on the Docker engine (see {@link DockerProvisioner}).
 * The machine configs are made exactly as {@code basaltctl gen config} makes them (the same command runs, with
 * the same patches and validation), kept in {@code ~/.basalt/clusters/NAME/}, and the cluster's client context is
 * merged into the client config with the control-plane endpoints.
 */
public final class ClusterCommands {
    static final String DEFAULT_NAME = "basalt-default";
    static final String DEFAULT_CIDR = "10.5.0.0/24";

    private ClusterCommands() {
    }

    /**
     * The {@code cluster} group.
     *
     * @param root the whole command tree, used to run {@code gen config} for the cluster's configs
     */
    public static CommandGroup group(Supplier<CommandGroup> root, List<Flag> globalFlags) {
        return new CommandGroup("cluster", "A collection of commands for managing local docker-based clusters",
                List.of(new Create(root, globalFlags), new Show(), new Destroy()));
    }

    static Flag nameFlag() {
        return Flag.string("name", "", DEFAULT_NAME, "the name of the cluster");
    }

    static Flag socketFlag() {
        return Flag.string("docker-socket", "", DockerEngine.DEFAULT_SOCKET.toString(),
                "the Docker engine's unix socket");
    }

    static DockerProvisioner provisioner(Invocation inv) {
        return new DockerProvisioner(new DockerEngine(Path.of(inv.string("docker-socket"))));
    }

    static void requireDocker(Invocation inv) {
        String p = inv.string("provisioner");
        if (!p.equals("docker")) {
            throw new CliException("--provisioner \"" + p + "\" is not available in this build; use --provisioner docker");
        }
    }

    /** {@code cluster create}. */
    static final class Create implements Command {
        private final Supplier<CommandGroup> root;
        private final List<Flag> globalFlags;

        Create(Supplier<CommandGroup> root, List<Flag> globalFlags) {
            this.root = root;
            this.globalFlags = globalFlags;
        }

        @Override
        public String name() {
            return "create";
        }

        @Override
        public String summary() {
            return "Creates a local docker-based cluster";
        }

        @Override
        public List<Flag> flags() {
            return List.of(nameFlag(), socketFlag(),
                    Flag.string("provisioner", "p", "docker", "Basalt cluster provisioner to use"),
                    Flag.integer("controlplanes", "", 1, "the number of controlplanes to create"),
                    Flag.integer("workers", "", 1, "the number of workers to create"),
                    Flag.string("image", "", "", "the node image to use (default basalt/node:VERSION)"),
                    Flag.string("cidr", "", DEFAULT_CIDR, "CIDR of the cluster network (IPv4)"),
                    Flag.array("config-patch", "", "patch generated machineconfigs (applied to all node types), use @file to read a patch from file"),
                    Flag.array("config-patch-control-plane", "", "patch generated machineconfigs (applied to 'controlplane' type)"),
                    Flag.array("config-patch-worker", "", "patch generated machineconfigs (applied to 'worker' type)"));
        }

        @Override
        public int run(Invocation inv) throws Exception {
            requireDocker(inv);
            ClusterPlan plan;
            try {
                plan = ClusterPlan.of(inv.string("name"), inv.string("cidr"), inv.integer("controlplanes"),
                        inv.integer("workers"));
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            String image = inv.string("image").isEmpty() ? "basalt/node:" + BuildInfo.current().tag()
                    : inv.string("image");
            Path state = inv.home().resolve(".basalt/clusters").resolve(plan.name());
            Map<NodeType, String> configs = generate(inv, plan, state);

            DockerProvisioner provisioner = provisioner(inv);
            List<DockerProvisioner.NodeInfo> nodes;
            try {
                nodes = provisioner.create(plan, image, configs);
            } catch (DockerException e) {
                throw new CliException(e.getMessage(), e);
            }
            mergeClientConfig(inv, plan, state);
            PrintStream out = inv.out();
            out.println("cluster " + plan.name() + " created on network " + plan.subnet());
            printNodes(out, nodes);
            List<String> endpoints = plan.controlPlanes().stream().map(ClusterPlan.Node::ip).toList();
            out.println();
            out.println("endpoints: " + String.join(", ", endpoints.stream().map(ip -> ip + ":50000").toList()));
            out.println("kubernetes endpoint: " + plan.endpoint());
            out.println("configs: " + state);
            out.println("next: basaltctl bootstrap -n " + endpoints.getFirst() + " -e " + endpoints.getFirst());
            return 0;
        }

        private Map<NodeType, String> generate(Invocation inv, ClusterPlan plan, Path state) throws IOException {
            Files.createDirectories(state);
            List<String> argv = new ArrayList<>(List.of("gen", "config", plan.name(), plan.endpoint(),
                    "--output", state.toString(), "--force"));
            for (String flag : List.of("config-patch", "config-patch-control-plane", "config-patch-worker")) {
                for (String v : inv.strings(flag)) {
                    // Resolve @file against this command's working directory before handing it on.
                    argv.add("--" + flag);
                    argv.add(v.startsWith("@") ? "@" + inv.path(v.substring(1)) : v);
                }
            }
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
            int status = new Cli("basaltctl", root.get(), globalFlags).run(argv, new Invocation.Environment(
                    errStream, errStream, inv.in(), inv.variables(), inv.home(), inv.home()));
            if (status != 0) {
                throw new CliException("generating the cluster's machine configs failed: "
                        + err.toString(StandardCharsets.UTF_8).strip());
            }
            Map<NodeType, String> configs = new LinkedHashMap<>();
            configs.put(NodeType.CONTROLPLANE, Files.readString(state.resolve("controlplane.yaml")));
            configs.put(NodeType.WORKER, Files.readString(state.resolve("worker.yaml")));
            return configs;
        }

        private static void mergeClientConfig(Invocation inv, ClusterPlan plan, Path state) {
            ClientConfig generated = ClientConfig.load(state.resolve("basaltconfig"));
            List<String> endpoints = plan.controlPlanes().stream().map(ClusterPlan.Node::ip).toList();
            ClientContext ctx = generated.current().orElseThrow(() -> new CliException(
                    "the generated basaltconfig in " + state + " has no current context"));
            ClientConfig withEndpoints = generated.withContext(generated.context(),
                    ctx.withEndpoints(endpoints).withNodes(List.of(endpoints.getFirst())));
            withEndpoints.save(state.resolve("basaltconfig"));
            Path target = ClientConfig.resolvePath(inv.string("basaltconfig"), inv.variables(), inv.home());
            Map<String, String> renamed = new LinkedHashMap<>();
            ClientConfig.loadOrEmpty(target).merge(withEndpoints, renamed).save(target);
            inv.err().println("merged context " + renamed.getOrDefault(generated.context(), generated.context())
                    + " into " + target);
        }
    }

    static void printNodes(PrintStream out, List<DockerProvisioner.NodeInfo> nodes) {
        int width = Math.max(4, nodes.stream().mapToInt(n -> n.name().length()).max().orElse(4));
        String format = "%-" + width + "s   %-12s   %s%n";
        out.printf(format, "NAME", "TYPE", "IP");
        for (DockerProvisioner.NodeInfo n : nodes) {
            out.printf(format, n.name(), n.type().label(), n.ip());
        }
    }

    /** {@code cluster show}. */
    static final class Show implements Command {
        @Override
        public String name() {
            return "show";
        }

        @Override
        public String summary() {
            return "Shows info about a local provisioned kubernetes cluster";
        }

        @Override
        public List<Flag> flags() {
            return List.of(nameFlag(), socketFlag(),
                    Flag.string("provisioner", "p", "docker", "Basalt cluster provisioner to use"));
        }

        @Override
        public int run(Invocation inv) throws Exception {
            requireDocker(inv);
            List<DockerProvisioner.NodeInfo> nodes;
            try {
                nodes = provisioner(inv).show(inv.string("name"));
            } catch (DockerException e) {
                throw new CliException(e.getMessage(), e);
            }
            if (nodes.isEmpty()) {
                throw new CliException("cluster '" + inv.string("name") + "' not found (no containers labelled "
                        + DockerProvisioner.LABEL_CLUSTER + "=" + inv.string("name") + ")");
            }
            printNodes(inv.out(), nodes);
            return 0;
        }
    }

    /** {@code cluster destroy}. */
    static final class Destroy implements Command {
        @Override
        public String name() {
            return "destroy";
        }

        @Override
        public String summary() {
            return "Destroys a local docker-based kubernetes cluster";
        }

        @Override
        public List<Flag> flags() {
            return List.of(nameFlag(), socketFlag(),
                    Flag.string("provisioner", "p", "docker", "Basalt cluster provisioner to use"));
        }

        @Override
        public int run(Invocation inv) throws Exception {
            requireDocker(inv);
            String name = inv.string("name");
            int removed;
            try {
                removed = provisioner(inv).destroy(name);
            } catch (DockerException e) {
                throw new CliException(e.getMessage(), e);
            }
            Path state = inv.home().resolve(".basalt/clusters").resolve(name);
            if (Files.isDirectory(state)) {
                try (var walk = Files.walk(state)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            inv.out().println("destroyed cluster " + name + " (" + removed + " containers and networks removed)");
            return 0;
        }
    }
}
