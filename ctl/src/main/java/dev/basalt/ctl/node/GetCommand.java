package dev.basalt.ctl.node;

import dev.basalt.ctl.cli.CliException;
import dev.basalt.ctl.cli.Command;
import dev.basalt.ctl.cli.Flag;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.ctl.cli.UsageException;
import dev.basalt.machinery.api.resource.Event;
import dev.basalt.machinery.api.resource.EventType;
import dev.basalt.machinery.api.resource.GetRequest;
import dev.basalt.machinery.api.resource.ListRequest;
import dev.basalt.machinery.api.resource.Resource;
import dev.basalt.machinery.api.resource.StateGrpc;
import dev.basalt.machinery.api.resource.WatchOptions;
import dev.basalt.machinery.api.resource.WatchRequest;
import dev.basalt.machinery.api.resource.WatchResponse;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code basaltctl get TYPE [ID] [-o table|yaml|json] [--watch] [--namespace NS]}: resources from each target
 * node through {@code cosi.resource.State}. A type may be given by alias ({@code services}, {@code rd}); the
 * node's resource definitions resolve it. Nodes are asked one at a time (State replies carry no node
 * metadata, so they are not fanned out).
 */
public final class GetCommand implements Command {
    private static final String DEFINITIONS = "ResourceDefinitions.meta.cosi.dev";

    @Override
    public String name() {
        return "get";
    }

    @Override
    public String summary() {
        return "Get a specific resource or list of resources";
    }

    @Override
    public String arguments() {
        return "TYPE [ID]";
    }

    @Override
    public List<Flag> flags() {
        return List.of(Flag.string("output", "o", "table", "output mode (json, table, yaml)"),
                Flag.string("namespace", "", "", "resource namespace (default is to use default namespace per resource)"),
                Flag.bool("watch", "w", "watch resource changes"));
    }

    @Override
    public int run(Invocation inv) {
        List<String> args = inv.args();
        if (args.isEmpty() || args.size() > 2) {
            throw new UsageException("'get' takes TYPE [ID], got " + args);
        }
        String output = inv.string("output");
        if (!List.of("table", "yaml", "json").contains(output)) {
            throw new UsageException("--output: '" + output + "' is not one of table, yaml, json");
        }
        try (ApiSession session = ApiSession.open(inv)) {
            List<String> nodes = session.nodes().isEmpty() ? List.of("") : session.nodes();
            Printer printer = new Printer(inv.out(), output);
            int failed = 0;
            for (String node : nodes) {
                List<String> target = node.isEmpty() ? List.of() : List.of(node);
                try {
                    String type = resolve(session, target, args.getFirst());
                    String namespace = inv.string("namespace");
                    if (inv.bool("watch")) {
                        watch(session, target, node, namespace, type, args.size() == 2 ? args.get(1) : null, printer);
                    } else if (args.size() == 2) {
                        Resource r = session.call(target, ch -> StateGrpc.newBlockingStub(ch)
                                .withDeadlineAfter(30, TimeUnit.SECONDS).get(GetRequest.newBuilder()
                                        .setNamespace(namespace).setType(type).setId(args.get(1)).build()))
                                .getResource();
                        printer.print(node, "", r);
                    } else {
                        List<Resource> items = new ArrayList<>();
                        session.call(target, ch -> {
                            StateGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
                                    .list(ListRequest.newBuilder().setNamespace(namespace).setType(type).build())
                                    .forEachRemaining(r -> items.add(r.getResource()));
                            return null;
                        });
                        for (Resource r : items) {
                            printer.print(node, "", r);
                        }
                    }
                } catch (CliException e) {
                    inv.err().println((node.isEmpty() ? "" : node + ": ") + "error: " + e.getMessage());
                    failed++;
                }
            }
            printer.flush();
            return failed == 0 ? 0 : 1;
        }
    }

    /** Resolves an alias or a case-insensitive type name against the node's resource definitions. */
    private static String resolve(ApiSession session, List<String> target, String given) {
        if (given.contains(".")) {
            return given;
        }
        String wanted = given.toLowerCase(Locale.ROOT);
        List<Resource> definitions = new ArrayList<>();
        session.call(target, ch -> {
            StateGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .list(ListRequest.newBuilder().setNamespace("meta").setType(DEFINITIONS).build())
                    .forEachRemaining(r -> definitions.add(r.getResource()));
            return null;
        });
        List<String> known = new ArrayList<>();
        for (Resource rd : definitions) {
            String type = "";
            List<String> aliases = new ArrayList<>();
            for (String line : rd.getSpec().getYamlSpec().split("\n")) {
                if (line.startsWith("type: ")) {
                    type = line.substring(6).trim();
                } else if (line.trim().startsWith("- ")) {
                    aliases.add(line.trim().substring(2).trim().toLowerCase(Locale.ROOT));
                }
            }
            known.add(type);
            if (type.toLowerCase(Locale.ROOT).startsWith(wanted + ".") || aliases.contains(wanted)) {
                return type;
            }
        }
        throw new CliException("resource type \"" + given + "\" is not known to the node; known: " + known);
    }

    private static void watch(ApiSession session, List<String> target, String node, String namespace, String type,
                              String id, Printer printer) {
        WatchRequest.Builder request = WatchRequest.newBuilder().setNamespace(namespace).setType(type)
                .setApiVersion(1).setOptions(WatchOptions.newBuilder().setBootstrapContents(true));
        if (id != null) {
            request.setId(id);
        }
        session.call(target, ch -> {
            Iterator<WatchResponse> it = StateGrpc.newBlockingStub(ch).watch(request.build());
            while (it.hasNext()) {
                for (Event e : it.next().getEventList()) {
                    if (e.getEventType() == EventType.BOOTSTRAPPED) {
                        printer.flush();
                        continue;
                    }
                    String marker = switch (e.getEventType()) {
                        case CREATED -> "+";
                        case UPDATED -> "*";
                        case DESTROYED -> "-";
                        default -> "?";
                    };
                    printer.print(node, marker, e.getResource());
                    printer.flush();
                }
            }
            return null;
        });
    }

    /** Renders resources as a table, YAML documents or JSON objects. Not thread-safe. */
    static final class Printer {
        private final PrintStream out;
        private final String mode;
        private Table table;
        private boolean header;

        Printer(PrintStream out, String mode) {
            this.out = out;
            this.mode = mode;
        }

        void print(String node, String marker, Resource r) {
            var md = r.getMetadata();
            switch (mode) {
                case "table" -> {
                    if (table == null) {
                        table = header ? new Table("", "", "", "", "", "") : new Table("NODE", "NAMESPACE", "TYPE",
                                "ID", "VERSION", "");
                        header = true;
                    }
                    table.row((marker.isEmpty() ? "" : marker + " ") + node, md.getNamespace(), md.getType(),
                            md.getId(), md.getVersion(), "");
                }
                case "yaml" -> {
                    out.println("node: " + node);
                    out.println("metadata:");
                    out.println("    namespace: " + md.getNamespace());
                    out.println("    type: " + md.getType());
                    out.println("    id: " + md.getId());
                    out.println("    version: " + md.getVersion());
                    out.println("    phase: " + md.getPhase());
                    out.println("spec:");
                    for (String line : r.getSpec().getYamlSpec().split("\n")) {
                        out.println("    " + line);
                    }
                    out.println("---");
                }
                default -> out.println("{\"node\":" + json(node) + ",\"metadata\":{\"namespace\":"
                        + json(md.getNamespace()) + ",\"type\":" + json(md.getType()) + ",\"id\":" + json(md.getId())
                        + ",\"version\":" + json(md.getVersion()) + ",\"phase\":" + json(md.getPhase())
                        + "},\"spec\":" + json(r.getSpec().getYamlSpec()) + "}");
            }
        }

        void flush() {
            if (table != null) {
                table.print(out);
                table = null;
            }
            out.flush();
        }

        private static String json(String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\t' -> b.append("\\t");
                    case '\r' -> b.append("\\r");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            return b.append('"').toString();
        }
    }
}
