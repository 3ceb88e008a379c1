package dev.basalt.machined.metal;

import dev.basalt.machined.api.HostResources;
import dev.basalt.machined.api.ResourceView;
import dev.basalt.networkd.NetworkStatus;
import dev.basalt.networkd.resource.AddressStatus;
import dev.basalt.networkd.resource.LinkStatus;
import dev.basalt.networkd.resource.RouteStatus;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * networkd's statuses as resources in the {@code network} namespace, with Talos' type names: links, addresses,
 * routes, hostname and resolvers ({@code LinkStatuses.net.talos.dev}, ...). Every other type, and the resource
 * definitions of the other types, come from {@code others}; the definitions of these types are added to theirs so
 * aliases such as {@code links} resolve.
 *
 * <p>Thread-safe: reads the latest published status; version bookkeeping is synchronized.
 */
public final class NetworkResources implements ResourceView {
    public static final String NAMESPACE = "network";
    public static final String LINKS = "LinkStatuses.net.talos.dev";
    public static final String ADDRESSES = "AddressStatuses.net.talos.dev";
    public static final String ROUTES = "RouteStatuses.net.talos.dev";
    public static final String RESOLVERS = "ResolverStatuses.net.talos.dev";

    private record Definition(String type, List<String> aliases) {
    }

    private static final List<Definition> DEFINITIONS = List.of(
            new Definition(LINKS, List.of("link", "links", "linkstatus", "linkstatuses")),
            new Definition(ADDRESSES, List.of("address", "addresses", "addressstatus", "addressstatuses")),
            new Definition(ROUTES, List.of("route", "routes", "routestatus", "routestatuses")),
            new Definition(RESOLVERS, List.of("resolver", "resolvers", "resolverstatus", "resolverstatuses")));

    private final Supplier<Optional<NetworkStatus>> status;
    private final ResourceView others;
    private final Map<String, Seen> seen = new HashMap<>();

    private record Seen(String yaml, long version) {
    }

    public NetworkResources(Supplier<Optional<NetworkStatus>> status, ResourceView others) {
        this.status = status;
        this.others = others;
    }

    private static boolean ours(String type) {
        return DEFINITIONS.stream().anyMatch(d -> d.type.equals(type)) || HostResources.HOSTNAME_STATUS.equals(type);
    }

    @Override
    public boolean knows(String type) {
        return ours(type) || others.knows(type);
    }

    @Override
    public Optional<String> defaultNamespace(String type) {
        return ours(type) ? Optional.of(NAMESPACE) : others.defaultNamespace(type);
    }

    @Override
    public Optional<Item> get(String namespace, String type, String id) throws IOException {
        return list(namespace, type).stream().filter(i -> i.id().equals(id)).findFirst();
    }

    @Override
    public List<Item> list(String namespace, String type) throws IOException {
        if (HostResources.DEFINITION.equals(type)) {
            List<Item> out = new ArrayList<>(others.list(namespace, type));
            for (Definition d : DEFINITIONS) {
                StringBuilder yaml = new StringBuilder("type: " + d.type + "\ndefaultNamespace: " + NAMESPACE
                        + "\naliases:\n");
                d.aliases.forEach(a -> yaml.append("  - ").append(a).append('\n'));
                out.add(item(namespace, type, d.type.toLowerCase(Locale.ROOT), yaml.toString()));
            }
            return out;
        }
        if (!ours(type)) {
            return others.list(namespace, type);
        }
        Optional<NetworkStatus> current = status.get();
        if (!NAMESPACE.equals(namespace) || current.isEmpty()) {
            // Before networkd's first status the hostname still comes from the kernel.
            return HostResources.HOSTNAME_STATUS.equals(type) ? others.list(namespace, type) : List.of();
        }
        return items(namespace, type, current.get());
    }

    private List<Item> items(String namespace, String type, NetworkStatus s) {
        Map<Integer, String> names = s.links().stream().collect(Collectors.toMap(LinkStatus::index, LinkStatus::name,
                (a, b) -> a));
        List<Item> out = new ArrayList<>();
        switch (type) {
            case LINKS -> {
                for (LinkStatus l : s.links()) {
                    out.add(item(namespace, type, l.name(), "index: " + l.index() + "\nkind: \"" + l.kind()
                            + "\"\nhardwareAddr: " + l.hardwareAddress() + "\nmtu: " + l.mtu()
                            + "\nadministrativelyUp: " + l.administrativelyUp() + "\ncarrier: " + l.carrier()
                            + "\noperationalState: " + l.operState().name().toLowerCase(Locale.ROOT) + "\n"));
                }
            }
            case ADDRESSES -> {
                for (AddressStatus a : s.addresses()) {
                    String link = names.getOrDefault(a.linkIndex(), Integer.toString(a.linkIndex()));
                    out.add(item(namespace, type, link + "/" + a.address(), "address: " + a.address()
                            + "\nlinkIndex: " + a.linkIndex() + "\nlinkName: " + link + "\nfamily: "
                            + family(a.address().address()) + "\nscope: " + a.scope() + "\n"));
                }
            }
            case ROUTES -> {
                for (RouteStatus r : s.routes()) {
                    String gateway = r.gateway().map(InetAddress::getHostAddress).orElse("");
                    String link = names.getOrDefault(r.outputLinkIndex(), "");
                    String family = family(r.destination().address());
                    String destination = r.destination().length() == 0 ? "" : r.destination().toString();
                    out.add(item(namespace, type, family + "/" + gateway + "/" + destination + "/" + r.metric(),
                            "family: " + family + "\ndst: \"" + destination + "\"\ngateway: \"" + gateway
                                    + "\"\noutLinkName: " + link + "\ntable: " + r.table() + "\npriority: "
                                    + r.metric() + "\nprotocol: " + r.protocol() + "\n"));
                }
            }
            case RESOLVERS -> {
                StringBuilder yaml = new StringBuilder("dnsServers:\n");
                s.resolvers().nameservers().forEach(n -> yaml.append("  - ").append(n.getHostAddress()).append('\n'));
                yaml.append("searchDomains:\n");
                s.resolvers().searchDomains().forEach(d -> yaml.append("  - ").append(d).append('\n'));
                out.add(item(namespace, type, "resolvers", yaml.toString()));
            }
            default -> out.add(item(namespace, type, "hostname", "hostname: " + s.hostname().hostname()
                    + "\ndomainname: \"" + s.hostname().domainname() + "\"\n"));
        }
        return out;
    }

    private static String family(InetAddress address) {
        return address instanceof Inet4Address ? "inet4" : "inet6";
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
