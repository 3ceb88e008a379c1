package dev.basalt.networkd.resource;

import java.net.InetAddress;
import java.util.List;

/**
 * The resolvers in effect, as written to {@code /etc/resolv.conf} (resource {@code resolvers}).
 *
 * @param nameservers   DNS servers in order
 * @param searchDomains search domains in order
 */
public record ResolverStatus(List<InetAddress> nameservers, List<String> searchDomains) {
    public ResolverStatus {
        nameservers = List.copyOf(nameservers);
        searchDomains = List.copyOf(searchDomains);
    }
}
