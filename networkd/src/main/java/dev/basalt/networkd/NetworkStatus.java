package dev.basalt.networkd;

import dev.basalt.networkd.resource.AddressStatus;
import dev.basalt.networkd.resource.HostnameStatus;
import dev.basalt.networkd.resource.LinkStatus;
import dev.basalt.networkd.resource.ResolverStatus;
import dev.basalt.networkd.resource.RouteStatus;

import java.util.List;

/**
 * One consistent snapshot of what networkd observes and has set, published after every change: the content of the
 * {@code links}, {@code addresses}, {@code routes}, {@code hostname} and {@code resolvers} resources.
 */
public record NetworkStatus(List<LinkStatus> links, List<AddressStatus> addresses, List<RouteStatus> routes,
                            HostnameStatus hostname, ResolverStatus resolvers) {
    public NetworkStatus {
        links = List.copyOf(links);
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
    }
}
