package dev.basalt.networkd.resource;

import java.net.InetAddress;
import java.util.List;

/**
 * The resolvers networkd wants.
 *
 * @param nameservers   DNS servers in order
 * @param searchDomains search domains in order
 * @param layer         where this want came from
 */
public record ResolverSpec(List<InetAddress> nameservers, List<String> searchDomains, ConfigLayer layer) {
    public ResolverSpec {
        nameservers = List.copyOf(nameservers);
        searchDomains = List.copyOf(searchDomains);
    }
}
