package dev.basalt.machined.metal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.machined.api.HostResources;
import dev.basalt.machined.api.ResourceView;
import dev.basalt.networkd.NetworkStatus;
import dev.basalt.networkd.resource.AddressStatus;
import dev.basalt.networkd.resource.HostnameStatus;
import dev.basalt.networkd.resource.IpPrefix;
import dev.basalt.networkd.resource.LinkStatus;
import dev.basalt.networkd.resource.OperState;
import dev.basalt.networkd.resource.ResolverStatus;
import dev.basalt.networkd.resource.RouteStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NetworkResourcesTest {
    /** Knows only the resource definitions, like a node with nothing else to show. */
    private static final ResourceView DEFINITIONS_ONLY = new ResourceView() {
        @Override
        public Optional<Item> get(String namespace, String type, String id) {
            return Optional.empty();
        }

        @Override
        public List<Item> list(String namespace, String type) {
            return List.of();
        }

        @Override
        public boolean knows(String type) {
            return HostResources.DEFINITION.equals(type);
        }

        @Override
        public Optional<String> defaultNamespace(String type) {
            return knows(type) ? Optional.of("meta") : Optional.empty();
        }
    };

    private static NetworkStatus status(String address) {
        return new NetworkStatus(
                List.of(new LinkStatus(2, "eth0", "", 1, true, true, OperState.UP, 1500, "52:54:00:12:34:56", 0, 0, 0)),
                List.of(new AddressStatus(2, IpPrefix.parse(address), 0, 0, "eth0")),
                List.of(new RouteStatus(254, IpPrefix.parse("0.0.0.0/0"),
                        Optional.of(IpPrefix.parseAddress("10.0.2.2")), 2, Optional.empty(), 1024, 16, 0, 1)),
                new HostnameStatus("node-1", "example.org"),
                new ResolverStatus(List.of(IpPrefix.parseAddress("10.0.2.3")), List.of("example.org")));
    }

    @Test
    void servesNetworkdStatusesUnderTalosTypeNames() throws Exception {
        var view = new NetworkResources(() -> Optional.of(status("10.0.2.15/24")), DEFINITIONS_ONLY);
        assertThat(view.defaultNamespace(NetworkResources.LINKS)).contains("network");
        assertThat(view.list("network", NetworkResources.LINKS)).singleElement().satisfies(i -> {
            assertThat(i.id()).isEqualTo("eth0");
            assertThat(i.yamlSpec()).contains("operationalState: up").contains("hardwareAddr: 52:54:00:12:34:56");
        });
        assertThat(view.list("network", NetworkResources.ADDRESSES)).singleElement()
                .satisfies(i -> assertThat(i.id()).isEqualTo("eth0/10.0.2.15/24"));
        assertThat(view.list("network", NetworkResources.ROUTES)).singleElement().satisfies(i -> {
            assertThat(i.id()).isEqualTo("inet4/10.0.2.2//1024");
            assertThat(i.yamlSpec()).contains("outLinkName: eth0");
        });
        assertThat(view.get("network", NetworkResources.RESOLVERS, "resolvers")).hasValueSatisfying(i ->
                assertThat(i.yamlSpec()).contains("  - 10.0.2.3").contains("  - example.org"));
        assertThat(view.get("network", HostResources.HOSTNAME_STATUS, "hostname")).hasValueSatisfying(i ->
                assertThat(i.yamlSpec()).contains("hostname: node-1"));
    }

    @Test
    void addsItsDefinitionsSoAliasesResolve() throws Exception {
        var view = new NetworkResources(Optional::empty, DEFINITIONS_ONLY);
        assertThat(view.list("meta", HostResources.DEFINITION)).anySatisfy(i ->
                assertThat(i.yamlSpec()).contains("type: LinkStatuses.net.talos.dev").contains("  - links"));
    }

    @Test
    void versionChangesOnlyWhenTheSpecDoes() throws Exception {
        AtomicReference<NetworkStatus> current = new AtomicReference<>(status("10.0.2.15/24"));
        var view = new NetworkResources(() -> Optional.of(current.get()), DEFINITIONS_ONLY);
        long first = view.get("network", NetworkResources.LINKS, "eth0").orElseThrow().version();
        assertThat(view.get("network", NetworkResources.LINKS, "eth0").orElseThrow().version()).isEqualTo(first);
        current.set(new NetworkStatus(List.of(new LinkStatus(2, "eth0", "", 1, true, false, OperState.DOWN, 1500,
                "52:54:00:12:34:56", 0, 0, 0)), List.of(), List.of(), current.get().hostname(),
                current.get().resolvers()));
        assertThat(view.get("network", NetworkResources.LINKS, "eth0").orElseThrow().version()).isEqualTo(first + 1);
        assertThat(view.list("network", NetworkResources.ADDRESSES)).isEmpty();
    }
}
