package dev.basalt.machined.metal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.networkd.config.InterfaceConfig;
import dev.basalt.networkd.config.NetworkConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaintenanceNetworkTest {
    @Test
    void theDefaultsBringLoopbackUpAndRunDhcpOnEveryLink() {
        NetworkConfig defaults = MaintenanceNetwork.layers(List.of("eth0", "eth1"), "console=ttyS0").getFirst();
        assertThat(defaults.interfaces()).extracting(InterfaceConfig::name).containsExactly("lo", "eth0", "eth1");
        InterfaceConfig lo = defaults.interfaces().getFirst();
        assertThat(lo.dhcp()).isFalse();
        assertThat(lo.addresses()).isEmpty();
        assertThat(defaults.interfaces().subList(1, 3)).allMatch(InterfaceConfig::dhcp);
    }
}
