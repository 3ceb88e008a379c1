package dev.basalt.networkd.config;

import dev.basalt.networkd.resource.ConfigLayer;
import dev.basalt.networkd.resource.IpPrefix;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses the kernel command line's {@code ip=} argument into the {@link ConfigLayer#CMDLINE} layer, in the format of
 * the kernel's <a href="https://docs.kernel.org/admin-guide/nfs/nfsroot.html">nfsroot documentation</a>:
 * {@code ip=<client-ip>:<server-ip>:<gw-ip>:<netmask>:<hostname>:<device>:<autoconf>:<dns0-ip>:<dns1-ip>:<ntp0-ip>},
 * or just {@code ip=dhcp}. Fields may be empty; trailing fields may be left out.
 */
public final class KernelIpArgument {
    private KernelIpArgument() {
    }

    /** Reads {@code ip=} from a whole command line; no argument gives an empty layer. */
    public static NetworkConfig fromCommandLine(String cmdline, String defaultInterface) {
        NetworkConfig out = NetworkConfig.empty(ConfigLayer.CMDLINE);
        for (String word : cmdline.trim().split("\\s+")) {
            if (word.startsWith("ip=")) {
                out = parse(word.substring(3), defaultInterface);
            }
        }
        return out;
    }

    /** Parses the value of {@code ip=}; {@code defaultInterface} is used when the device field is empty. */
    public static NetworkConfig parse(String value, String defaultInterface) {
        String[] f = value.split(":", -1);
        if (f.length == 1) {
            return switch (f[0]) {
                case "dhcp", "on", "any", "both" -> NetworkConfig.empty(ConfigLayer.CMDLINE)
                        .withInterfaces(List.of(InterfaceConfig.dhcp(defaultInterface)));
                case "off", "none", "" -> NetworkConfig.empty(ConfigLayer.CMDLINE);
                default -> throw new IllegalArgumentException("kernel argument ip=" + value
                        + " is not 'dhcp', 'off' or client-ip:server-ip:gw-ip:netmask:hostname:device:autoconf[:dns0:dns1:ntp0]");
            };
        }
        String device = field(f, 5).orElse(defaultInterface);
        String autoconf = field(f, 6).orElse("off");
        Optional<InetAddress> client = field(f, 0).map(s -> v4(s, "client-ip"));
        Optional<InetAddress> gateway = field(f, 2).map(s -> v4(s, "gw-ip"));
        int prefix = field(f, 3).map(KernelIpArgument::maskLength).orElse(32);
        List<InetAddress> dns = new ArrayList<>();
        field(f, 7).map(s -> v4(s, "dns0-ip")).ifPresent(dns::add);
        field(f, 8).map(s -> v4(s, "dns1-ip")).ifPresent(dns::add);
        List<String> ntp = field(f, 9).map(s -> List.of(v4(s, "ntp0-ip").getHostAddress())).orElse(List.of());
        boolean dhcp = autoconf.equals("dhcp") || autoconf.equals("on") || autoconf.equals("any") || autoconf.equals("both");
        if (!dhcp && !autoconf.equals("off") && !autoconf.equals("none")) {
            throw new IllegalArgumentException("ip= autoconf field is '" + autoconf + "'; expected off, none, dhcp, on or any");
        }
        List<IpPrefix> addresses = client.map(c -> List.of(new IpPrefix(c, prefix))).orElse(List.of());
        List<StaticRoute> routes = gateway.map(g -> List.of(StaticRoute.of(IpPrefix.parse("0.0.0.0/0"), g))).orElse(List.of());
        InterfaceConfig iface = new InterfaceConfig(device, dhcp, addresses, routes, Optional.empty(), List.of(), Optional.empty(), Optional.empty());
        return new NetworkConfig(ConfigLayer.CMDLINE, field(f, 4), Optional.empty(), dns, List.of(), ntp, List.of(iface));
    }

    private static Optional<String> field(String[] f, int i) {
        return i < f.length && !f[i].isEmpty() ? Optional.of(f[i]) : Optional.empty();
    }

    private static InetAddress v4(String s, String field) {
        InetAddress a;
        try {
            a = IpPrefix.parseAddress(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ip= " + field + " '" + s + "' is not an IPv4 address");
        }
        if (!(a instanceof Inet4Address)) {
            throw new IllegalArgumentException("ip= " + field + " '" + s + "' is not an IPv4 address");
        }
        return a;
    }

    private static int maskLength(String mask) {
        byte[] b = v4(mask, "netmask").getAddress();
        int m = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        int length = Integer.bitCount(m);
        if (m != (length == 0 ? 0 : -1 << (32 - length))) {
            throw new IllegalArgumentException("ip= netmask '" + mask + "' is not a contiguous mask");
        }
        return length;
    }
}
