package dev.basalt.networkd.config;

import dev.basalt.networkd.resource.ConfigLayer;
import dev.basalt.networkd.resource.IpPrefix;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetworkConfigTest {
    @Test
    void parsesAFullKernelIpArgument() throws Exception {
        NetworkConfig c = KernelIpArgument.fromCommandLine(
                "console=ttyS0 ip=192.0.2.10::192.0.2.1:255.255.255.0:node-1:eth1:off:192.0.2.53:192.0.2.54:192.0.2.123 quiet", "eth0");

        assertThat(c.layer()).isEqualTo(ConfigLayer.CMDLINE);
        assertThat(c.hostname()).contains("node-1");
        assertThat(c.nameservers()).containsExactly(InetAddress.getByName("192.0.2.53"), InetAddress.getByName("192.0.2.54"));
        assertThat(c.timeServers()).containsExactly("192.0.2.123");
        InterfaceConfig eth1 = c.iface("eth1").orElseThrow();
        assertThat(eth1.dhcp()).isFalse();
        assertThat(eth1.addresses()).containsExactly(IpPrefix.parse("192.0.2.10/24"));
        assertThat(eth1.routes()).containsExactly(StaticRoute.of(IpPrefix.parse("0.0.0.0/0"), InetAddress.getByName("192.0.2.1")));
    }

    @Test
    void ipDhcpMeansDhcpOnTheDefaultInterface() {
        assertThat(KernelIpArgument.parse("dhcp", "eth0").iface("eth0").orElseThrow().dhcp()).isTrue();
        assertThat(KernelIpArgument.parse(":::::eth3:dhcp", "eth0").iface("eth3").orElseThrow().dhcp()).isTrue();
    }

    @Test
    void rejectsBadKernelIpArgumentsNamingTheField() {
        assertThatThrownBy(() -> KernelIpArgument.parse("192.0.2.10::192.0.2.1:255.0.255.0::eth0:off", "eth0"))
                .hasMessage("ip= netmask '255.0.255.0' is not a contiguous mask");
        assertThatThrownBy(() -> KernelIpArgument.parse("300.1.1.1::::::off", "eth0"))
                .hasMessage("ip= client-ip '300.1.1.1' is not an IPv4 address");
        assertThatThrownBy(() -> KernelIpArgument.parse("bogus", "eth0")).hasMessageContaining("ip=bogus is not 'dhcp'");
        assertThatThrownBy(() -> KernelIpArgument.parse("::::::maybe", "eth0"))
                .hasMessage("ip= autoconf field is 'maybe'; expected off, none, dhcp, on or any");
    }

    @Test
    void machineConfigOverridesCmdlineWhichOverridesDefaults() throws Exception {
        NetworkConfig cmdline = KernelIpArgument.parse("dhcp", "eth0").withHostname("from-cmdline");
        NetworkConfig machine = NetworkConfig.empty(ConfigLayer.MACHINE_CONFIG)
                .withNameservers(List.of(InetAddress.getByName("10.0.0.53")))
                .withInterfaces(List.of(InterfaceConfig.statics("eth0", List.of(IpPrefix.parse("10.0.0.5/24")), List.of())));

        NetworkConfig merged = NetworkConfig.merge(List.of(NetworkConfig.defaults(), cmdline, machine));

        assertThat(merged.layer()).isEqualTo(ConfigLayer.MACHINE_CONFIG);
        assertThat(merged.hostname()).contains("from-cmdline");
        assertThat(merged.nameservers()).containsExactly(InetAddress.getByName("10.0.0.53"));
        assertThat(merged.timeServers()).containsExactly("time.cloudflare.com");
        InterfaceConfig eth0 = merged.iface("eth0").orElseThrow();
        assertThat(eth0.dhcp()).as("the machine config's eth0 replaces the cmdline's").isFalse();
        assertThat(eth0.addresses()).containsExactly(IpPrefix.parse("10.0.0.5/24"));
    }

    @Test
    void rejectsTheSameInterfaceTwiceInOneLayer() {
        assertThatThrownBy(() -> NetworkConfig.empty(ConfigLayer.MACHINE_CONFIG)
                .withInterfaces(List.of(InterfaceConfig.dhcp("eth0"), InterfaceConfig.dhcp("eth0"))))
                .hasMessage("interface eth0 is configured twice in the MACHINE_CONFIG layer");
    }

    @Test
    void prefixesParseAndRejectNames() {
        assertThat(IpPrefix.parse("192.0.2.77/24").network()).hasToString("192.0.2.0/24");
        assertThat(IpPrefix.parse("2001:db8::1/64").isIpv4()).isFalse();
        assertThatThrownBy(() -> IpPrefix.parse("example.com/24")).hasMessage("'example.com' is not an IPv4 or IPv6 address literal");
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.1/33")).hasMessage("prefix length of 10.0.0.1 must be 0..32, got 33");
    }
}
