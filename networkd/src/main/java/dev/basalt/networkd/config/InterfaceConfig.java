package dev.basalt.networkd.config;

import dev.basalt.networkd.resource.BondMode;
import dev.basalt.networkd.resource.IpPrefix;

import java.util.List;
import java.util.Optional;

/**
 * What one interface should look like; the machine config's {@code machine.network.interfaces[]} entry, mapped by an
 * adapter in machined:
 * <pre>
 * - interface: eth0
 *   dhcp: true
 *   addresses: [192.0.2.10/24]
 *   routes: [{network: 0.0.0.0/0, gateway: 192.0.2.1}]
 *   mtu: 1500
 *   vlans: [{vlanId: 42, addresses: [...], dhcp: false}]
 *   bond: {interfaces: [eth1, eth2], mode: active-backup}
 *   vip: {ip: 192.0.2.100}
 * </pre>
 *
 * @param name      interface name
 * @param dhcp      run the DHCPv4 client on it
 * @param addresses static addresses
 * @param routes    static routes through it
 * @param mtu       MTU, absent to keep the kernel's
 * @param vlans     VLAN sub-interfaces, each itself an interface config named {@code NAME.ID}
 * @param bond      when present, this interface is a bond over the given members
 * @param vip       shared address, when present
 */
public record InterfaceConfig(String name, boolean dhcp, List<IpPrefix> addresses, List<StaticRoute> routes,
                              Optional<Integer> mtu, List<Vlan> vlans, Optional<Bond> bond, Optional<VipConfig> vip) {
    public InterfaceConfig {
        if (name.isEmpty() || name.length() > 15) {
            throw new IllegalArgumentException("interface name '" + name + "' must be 1..15 characters");
        }
        mtu.ifPresent(m -> {
            if (m < 68 || m > 65535) {
                throw new IllegalArgumentException("mtu of " + name + " must be 68..65535, got " + m);
            }
        });
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
        vlans = List.copyOf(vlans);
    }

    /** An interface with DHCP and nothing else. */
    public static InterfaceConfig dhcp(String name) {
        return new InterfaceConfig(name, true, List.of(), List.of(), Optional.empty(), List.of(), Optional.empty(), Optional.empty());
    }

    /** An interface with static addresses and routes. */
    public static InterfaceConfig statics(String name, List<IpPrefix> addresses, List<StaticRoute> routes) {
        return new InterfaceConfig(name, false, addresses, routes, Optional.empty(), List.of(), Optional.empty(), Optional.empty());
    }

    public InterfaceConfig withVip(VipConfig v) {
        return new InterfaceConfig(name, dhcp, addresses, routes, mtu, vlans, bond, Optional.of(v));
    }

    public InterfaceConfig withMtu(int m) {
        return new InterfaceConfig(name, dhcp, addresses, routes, Optional.of(m), vlans, bond, vip);
    }

    /** A VLAN on this interface: {@code vlans: [{vlanId, dhcp, addresses, routes, mtu}]}. */
    public record Vlan(int id, boolean dhcp, List<IpPrefix> addresses, List<StaticRoute> routes, Optional<Integer> mtu) {
        public Vlan {
            if (id < 1 || id > 4094) {
                throw new IllegalArgumentException("vlanId must be 1..4094, got " + id);
            }
            addresses = List.copyOf(addresses);
            routes = List.copyOf(routes);
        }
    }

    /** A bond over {@code members}: {@code bond: {interfaces, mode, miimon}}. */
    public record Bond(List<String> members, BondMode mode, int miimonMillis) {
        public Bond {
            if (members.isEmpty()) {
                throw new IllegalArgumentException("bond needs at least one member interface");
            }
            members = List.copyOf(members);
        }
    }
}
