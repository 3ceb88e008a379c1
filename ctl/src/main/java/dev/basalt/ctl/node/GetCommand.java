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
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code basaltctl get TYPE [ID] [-o table|yaml|json] [--watch] [--namespace NS]}: resources from each target
 * node through {@code cosi.resource.State}. A type may be given by alias ({@code services}, {@code rd}); the
 * node's resource definitions resolve it. Nodes are asked one at a time (State replies carry no node
 * metadata, so they are not fanned out). The table shows the columns the type's definition lists under
 * {@code printColumns} (as talosctl does), for top-level spec fields ({@code jsonPath: '{.field}'}).
 */
public final class GetCommand implements Command {
    private static final String DEFINITIONS = "ResourceDefinitions.meta.cosi.dev";

    /** A resource type as its definition describes it: the names it answers to and its table columns. */
    record Definition(String type, List<String> aliases, List<Column> columns) {
    }

    /** A table column over a top-level spec field; {@code field} is empty for paths this printer cannot follow. */
    record Column(String name, String field) {
    }

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
                    Definition definition = resolve(session, target, args.getFirst());
                    String type = definition.type();
                    printer.columns(definition.columns());
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

    /**
     * Resolves an alias or a case-insensitive type name against the node's resource definitions. A full type name
     * (with a dot) is taken as given; its definition, when the node has one, only adds the columns.
     */
    private static Definition resolve(ApiSession session, List<String> target, String given) {
        List<Definition> definitions = new ArrayList<>();
        try {
            session.call(target, ch -> {
                StateGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .list(ListRequest.newBuilder().setNamespace("meta").setType(DEFINITIONS).build())
                        .forEachRemaining(r -> definitions.add(definition(r.getResource().getSpec().getYamlSpec())));
                return null;
            });
        } catch (CliException e) {
            if (!given.contains(".")) {
                throw e;
            }
        }
        return match(definitions, given);
    }

    /** The definition {@code given} names among {@code definitions}. */
    static Definition match(List<Definition> definitions, String given) {
        String wanted = given.toLowerCase(Locale.ROOT);
        for (Definition d : definitions) {
            String type = d.type().toLowerCase(Locale.ROOT);
            if (type.equals(wanted) || (!wanted.contains(".") && (type.startsWith(wanted + ".")
                    || d.aliases().contains(wanted)))) {
                return d;
            }
        }
        if (given.contains(".")) {
            return new Definition(given, List.of(), List.of());
        }
        throw new CliException("resource type \"" + given + "\" is not known to the node; known: "
                + definitions.stream().map(Definition::type).toList());
    }

    /**
     * Reads a {@code ResourceDefinitions.meta.cosi.dev} spec: {@code type}, the {@code aliases} list (lower-cased)
     * and the {@code printColumns} list of {@code name}/{@code jsonPath} pairs. Only the block layout the nodes
     * write is understood (top-level keys, two-space list items).
     */
    static Definition definition(String yaml) {
        String type = "";
        String section = "";
        List<String> aliases = new ArrayList<>();
        List<String[]> columns = new ArrayList<>();
        for (String line : yaml.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String trimmed = line.trim();
            if (!Character.isWhitespace(line.charAt(0)) && !trimmed.startsWith("- ")) {
                int colon = trimmed.indexOf(':');
                section = colon < 0 ? trimmed : trimmed.substring(0, colon);
                if (section.equals("type")) {
                    type = unquote(trimmed.substring(colon + 1).trim());
                }
                continue;
            }
            boolean item = trimmed.startsWith("- ");
            String body = item ? trimmed.substring(2).trim() : trimmed;
            if (section.equals("aliases") && item) {
                aliases.add(unquote(body).toLowerCase(Locale.ROOT));
            } else if (section.equals("printColumns")) {
                if (item) {
                    columns.add(new String[] {"", ""});
                }
                if (columns.isEmpty()) {
                    continue;
                }
                if (body.startsWith("name:")) {
                    columns.getLast()[0] = unquote(body.substring(5).trim());
                } else if (body.startsWith("jsonPath:")) {
                    columns.getLast()[1] = unquote(body.substring(9).trim());
                }
            }
        }
        List<Column> out = new ArrayList<>();
        for (String[] c : columns) {
            String path = c[1];
            boolean simple = path.startsWith("{.") && path.endsWith("}")
                    && path.substring(2, path.length() - 1).matches("[A-Za-z0-9_]+");
            out.add(new Column(c[0], simple ? path.substring(2, path.length() - 1) : ""));
        }
        return new Definition(type, List.copyOf(aliases), List.copyOf(out));
    }

    /** A YAML scalar's text: plain as is, single- or double-quoted with the common escapes undone. */
    static String unquote(String scalar) {
        if (scalar.length() >= 2 && scalar.startsWith("'") && scalar.endsWith("'")) {
            return scalar.substring(1, scalar.length() - 1).replace("''", "'");
        }
        if (scalar.length() >= 2 && scalar.startsWith("\"") && scalar.endsWith("\"")) {
            StringBuilder b = new StringBuilder();
            String body = scalar.substring(1, scalar.length() - 1);
            for (int i = 0; i < body.length(); i++) {
                char c = body.charAt(i);
                if (c != '\\' || i + 1 == body.length()) {
                    b.append(c);
                    continue;
                }
                char next = body.charAt(++i);
                switch (next) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'x' -> {
                        String hex = i + 3 <= body.length() ? body.substring(i + 1, i + 3) : "";
                        if (hex.matches("[0-9A-Fa-f]{2}")) {
                            b.append((char) Integer.parseInt(hex, 16));
                            i += 2;
                        } else {
                            b.append("\\x");
                        }
                    }
                    default -> b.append(next);
                }
            }
            return b.toString();
        }
        return scalar;
    }

    /** The top-level scalar {@code field} of a spec, or empty. */
    static String field(String yaml, String field) {
        if (field.isEmpty()) {
            return "";
        }
        String prefix = field + ":";
        for (String line : yaml.split("\n")) {
            if (line.startsWith(prefix)) {
                return unquote(line.substring(prefix.length()).trim());
            }
        }
        return "";
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
        private List<Column> columns = List.of();
        private Table table;
        private boolean header;

        Printer(PrintStream out, String mode) {
            this.out = out;
            this.mode = mode;
        }

        /** The spec columns of the type printed next; takes effect with the next table. */
        void columns(List<Column> next) {
            columns = List.copyOf(next);
        }

        void print(String node, String marker, Resource r) {
            var md = r.getMetadata();
            switch (mode) {
                case "table" -> {
                    if (table == null) {
                        List<String> head = new ArrayList<>(List.of("NODE", "NAMESPACE", "TYPE", "ID", "VERSION"));
                        columns.forEach(c -> head.add(c.name().toUpperCase(Locale.ROOT)));
                        head.add("");
                        table = new Table(header ? Collections.nCopies(head.size(), "").toArray(String[]::new)
                                : head.toArray(String[]::new));
                        header = true;
                    }
                    List<Object> row = new ArrayList<>(List.of((marker.isEmpty() ? "" : marker + " ") + node,
                            md.getNamespace(), md.getType(), md.getId(), md.getVersion()));
                    columns.forEach(c -> row.add(field(r.getSpec().getYamlSpec(), c.field())));
                    row.add("");
                    table.row(row.toArray());
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
