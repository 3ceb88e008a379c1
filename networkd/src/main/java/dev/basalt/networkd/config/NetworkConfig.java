package dev.basalt.networkd.config;

import dev.basalt.networkd.resource.ConfigLayer;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The network as one layer of configuration wants it: hostname, resolvers, time servers and interfaces. Layers are
 * merged by {@link #merge}: defaults &lt; kernel command line ({@code ip=}, {@link KernelIpArgument}) &lt; machine
 * config, a higher layer's value replacing a lower one's field by field and interface by interface.
 *
 * <p>Machine config YAML shape: {@code machine.network: {hostname, nameservers, searchDomains, interfaces}},
 * {@code machine.time: {servers}}. Immutable and thread-safe.
 *
 * @param layer         which layer this is
 * @param hostname      short host name; absent to leave it to a lower layer or DHCP
 * @param domainname    DNS domain; absent likewise
 * @param nameservers   DNS servers; empty to leave it to a lower layer or DHCP
 * @param searchDomains search domains
 * @param timeServers   NTP servers (names or addresses) for the SNTP client
 * @param interfaces    interfaces by name
 */
public record NetworkConfig(ConfigLayer layer, Optional<String> hostname, Optional<String> domainname,
                            List<InetAddress> nameservers, List<String> searchDomains, List<String> timeServers,
                            List<InterfaceConfig> interfaces) {
    public NetworkConfig {
        nameservers = List.copyOf(nameservers);
        searchDomains = List.copyOf(searchDomains);
        timeServers = List.copyOf(timeServers);
        interfaces = List.copyOf(interfaces);
        List<String> seen = new ArrayList<>();
        for (InterfaceConfig i : interfaces) {
            if (seen.contains(i.name())) {
                throw new IllegalArgumentException("interface " + i.name() + " is configured twice in the " + layer + " layer");
            }
            seen.add(i.name());
        }
    }

    /** Nothing configured in {@code layer}. */
    public static NetworkConfig empty(ConfigLayer layer) {
        return new NetworkConfig(layer, Optional.empty(), Optional.empty(), List.of(), List.of(), List.of(), List.of());
    }

    /** Talos' defaults: resolvers 1.1.1.1 and 8.8.8.8, time from time.cloudflare.com. */
    public static NetworkConfig defaults() {
        try {
            return new NetworkConfig(ConfigLayer.DEFAULT, Optional.empty(), Optional.empty(),
                    List.of(InetAddress.getByAddress(new byte[] {1, 1, 1, 1}), InetAddress.getByAddress(new byte[] {8, 8, 8, 8})),
                    List.of(), List.of("time.cloudflare.com"), List.of());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public NetworkConfig withInterfaces(List<InterfaceConfig> list) {
        return new NetworkConfig(layer, hostname, domainname, nameservers, searchDomains, timeServers, list);
    }

    public NetworkConfig withHostname(String name) {
        return new NetworkConfig(layer, Optional.of(name), domainname, nameservers, searchDomains, timeServers, interfaces);
    }

    public NetworkConfig withNameservers(List<InetAddress> servers) {
        return new NetworkConfig(layer, hostname, domainname, servers, searchDomains, timeServers, interfaces);
    }

    /**
     * Merges layers, lowest first. Scalars and non-empty lists of a higher layer win; an interface named in a higher
     * layer replaces that interface from lower layers entirely (so DHCP from {@code ip=dhcp} does not linger once the
     * machine config sets static addresses on the same interface). The result is labelled with the highest layer.
     */
    public static NetworkConfig merge(List<NetworkConfig> lowestFirst) {
        NetworkConfig out = empty(ConfigLayer.DEFAULT);
        Map<String, InterfaceConfig> interfaces = new LinkedHashMap<>();
        for (NetworkConfig c : lowestFirst) {
            c.interfaces.forEach(i -> interfaces.put(i.name(), i));
            out = new NetworkConfig(c.layer,
                    c.hostname.or(out::hostname), c.domainname.or(out::domainname),
                    c.nameservers.isEmpty() ? out.nameservers : c.nameservers,
                    c.searchDomains.isEmpty() ? out.searchDomains : c.searchDomains,
                    c.timeServers.isEmpty() ? out.timeServers : c.timeServers,
                    List.of());
        }
        return out.withInterfaces(new ArrayList<>(interfaces.values()));
    }

    /** The configuration's layer that set the nameservers, for the status's provenance. */
    public Optional<InterfaceConfig> iface(String name) {
        return interfaces.stream().filter(i -> i.name().equals(name)).findFirst();
    }
}
