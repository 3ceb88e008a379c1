package dev.basalt.machined.api;

import dev.basalt.blockd.disks.Disk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@link ResourceView} computed from the live machine: the hostname status, the services, the cluster members
 * (from {@link ClusterMembers}), the META keys (from {@link MetaAccess}; none on a node without META), the disks (from
 * a disk supplier, see {@link Disks}), and the resource definitions that describe them (so clients can resolve
 * aliases such as {@code services} or {@code rd}, and print a type's columns).
 * Versions count changes of a resource's spec as observed by this view.
 *
 * <p>Thread-safe (version bookkeeping is synchronized).
 */
public final class HostResources implements ResourceView {
    public static final String HOSTNAME_STATUS = "HostnameStatuses.net.talos.dev";
    public static final String SERVICE = "Services.v1alpha1.talos.dev";
    public static final String DEFINITION = "ResourceDefinitions.meta.cosi.dev";
    public static final String MEMBER = "Members.cluster.talos.dev";

    private record Definition(String type, String namespace, List<String> aliases, List<Column> columns) {
        Definition(String type, String namespace, List<String> aliases) {
            this(type, namespace, aliases, List.of());
        }
    }

    /** A column {@code get} prints in table mode, from a top-level spec field (COSI's {@code PrintColumn}). */
    private record Column(String name, String field) {
    }

    private static final List<Definition> DEFINITIONS = List.of(
            new Definition(HOSTNAME_STATUS, "network", List.of("hostname", "hostnames", "hostnamestatus",
                    "hostnamestatuses")),
            new Definition(SERVICE, "runtime", List.of("service", "services", "svc")),
            new Definition(MEMBER, "cluster", List.of("member", "members")),
            new Definition(MetaKeys.TYPE, MetaKeys.NAMESPACE, List.of("metakey", "metakeys")),
            new Definition(Disks.TYPE, Disks.NAMESPACE, List.of("disk", "disks"), List.of(
                    new Column("Size", "pretty_size"), new Column("Read Only", "readonly"),
                    new Column("Transport", "transport"), new Column("Rotational", "rotational"),
                    new Column("WWID", "wwid"), new Column("Model", "model"), new Column("Serial", "serial"))),
            new Definition(DEFINITION, "meta", List.of("rd", "rds", "resourcedefinition",
                    "resourcedefinitions")));

    private final HostFacts facts;
    private final ServiceControl services;
    private final ClusterMembers members;
    private final MetaAccess meta;
    private final Supplier<List<Disk>> disks;
    private final Map<String, Seen> seen = new HashMap<>();

    private record Seen(String yaml, long version) {
    }

    public HostResources(HostFacts facts, ServiceControl services) {
        this(facts, services, ClusterMembers.NONE);
    }

    public HostResources(HostFacts facts, ServiceControl services, ClusterMembers members) {
        this(facts, services, members, MetaAccess.NONE);
    }

    public HostResources(HostFacts facts, ServiceControl services, ClusterMembers members, MetaAccess meta) {
        this(facts, services, members, meta, Disks.NONE);
    }

    /**
     * @param disks the machine's disks, asked on every read of {@link Disks#TYPE}; it may throw
     *              {@link UncheckedIOException}, which the read reports
     */
    public HostResources(HostFacts facts, ServiceControl services, ClusterMembers members, MetaAccess meta,
                         Supplier<List<Disk>> disks) {
        this.facts = facts;
        this.services = services;
        this.members = members;
        this.meta = meta;
        this.disks = disks;
    }

    @Override
    public boolean knows(String type) {
        return DEFINITIONS.stream().anyMatch(d -> d.type.equals(type));
    }

    @Override
    public Optional<String> defaultNamespace(String type) {
        return DEFINITIONS.stream().filter(d -> d.type.equals(type)).map(Definition::namespace).findFirst();
    }

    @Override
    public Optional<Item> get(String namespace, String type, String id) throws IOException {
        return list(namespace, type).stream().filter(i -> i.id().equals(id)).findFirst();
    }

    @Override
    public List<Item> list(String namespace, String type) throws IOException {
        List<Item> out = new ArrayList<>();
        if (HOSTNAME_STATUS.equals(type) && "network".equals(namespace)) {
            String host = facts.hostname();
            int dot = host.indexOf('.');
            String name = dot < 0 ? host : host.substring(0, dot);
            String domain = dot < 0 ? "" : host.substring(dot + 1);
            out.add(item(namespace, type, "hostname", "hostname: " + name + "\ndomainname: \"" + domain + "\"\n"));
        } else if (SERVICE.equals(type) && "runtime".equals(namespace)) {
            for (ServiceControl.ServiceStatus s : services.list()) {
                out.add(item(namespace, type, s.id(), "running: " + "Running".equals(s.state())
                        + "\nhealthy: " + s.health().healthy() + "\nunknown: " + s.health().unknown() + "\n"));
            }
        } else if (MEMBER.equals(type) && "cluster".equals(namespace)) {
            for (ClusterMembers.Member m : members.members()) {
                out.add(item(namespace, type, m.nodeId(), m.yaml()));
            }
        } else if (MetaKeys.TYPE.equals(type) && MetaKeys.NAMESPACE.equals(namespace)) {
            for (Map.Entry<Integer, byte[]> e : new TreeMap<>(metaValues()).entrySet()) {
                String value = MetaKeys.redacted(e.getKey()) ? MetaKeys.REDACTED
                        : new String(e.getValue(), StandardCharsets.UTF_8);
                out.add(item(namespace, type, MetaKeys.id(e.getKey()), "value: " + yamlQuoted(value) + "\n"));
            }
        } else if (Disks.TYPE.equals(type) && Disks.NAMESPACE.equals(namespace)) {
            for (Disk d : currentDisks()) {
                out.add(item(namespace, type, d.name(), Disks.yaml(d)));
            }
        } else if (DEFINITION.equals(type) && "meta".equals(namespace)) {
            for (Definition d : DEFINITIONS) {
                String id = d.type.toLowerCase(java.util.Locale.ROOT);
                StringBuilder yaml = new StringBuilder("type: " + d.type + "\ndefaultNamespace: " + d.namespace
                        + "\naliases:\n");
                for (String alias : d.aliases) {
                    yaml.append("  - ").append(alias).append('\n');
                }
                if (!d.columns.isEmpty()) {
                    yaml.append("printColumns:\n");
                    for (Column c : d.columns) {
                        yaml.append("  - name: ").append(c.name).append("\n    jsonPath: '{.").append(c.field)
                                .append("}'\n");
                    }
                }
                out.add(item(namespace, type, id, yaml.toString()));
            }
        }
        return out;
    }

    private List<Disk> currentDisks() throws IOException {
        try {
            return disks.get();
        } catch (UncheckedIOException e) {
            throw new IOException("cannot list disks: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** META's keys; a node without a META store has none (listing is not the place to report that). */
    private Map<Integer, byte[]> metaValues() throws IOException {
        try {
            return meta.list();
        } catch (NodeApiException e) {
            if (e.code() == NodeApiException.Code.FAILED_PRECONDITION) {
                return Map.of();
            }
            throw new IOException(e.getMessage(), e);
        }
    }

    /** A YAML double-quoted scalar (YAML 1.2 section 7.3.1): any bytes a META value holds print safely. */
    static String yamlQuoted(String text) {
        StringBuilder sb = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                        sb.append(String.format("\\x%02x", c));
                    } else {
                        sb.appendCodePoint(c);
                    }
                }
            }
        });
        return sb.append('"').toString();
    }

    private synchronized Item item(String namespace, String type, String id, String yaml) {
        String key = namespace + "/" + type + "/" + id;
        Seen before = seen.get(key);
        Seen now = before == null ? new Seen(yaml, 1) : before.yaml.equals(yaml) ? before
                : new Seen(yaml, before.version + 1);
        seen.put(key, now);
        return new Item(namespace, type, id, now.version, yaml);
    }
}
