package dev.basalt.networkd.dhcp;

import dev.basalt.networkd.packet.MalformedPacketException;
import dev.basalt.networkd.resource.IpPrefix;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A lease the DHCP client holds, with everything the server told us that networkd acts on.
 *
 * @param address         our address and prefix (yiaddr + option 1)
 * @param server          the server identifier (option 54)
 * @param routers         option 3, in order of preference
 * @param dnsServers      option 6
 * @param ntpServers      option 42
 * @param domainName      option 15, empty when absent
 * @param searchDomains   option 119 (RFC 3397)
 * @param hostname        option 12
 * @param mtu             option 26
 * @param classlessRoutes option 121 (RFC 3442); when present, routers are ignored for routing
 * @param leaseTime       option 51
 * @param renewalTime     option 58, default half the lease (T1)
 * @param rebindingTime   option 59, default 7/8 of the lease (T2)
 * @param acquired        when the request that got this lease was sent
 */
public record DhcpLease(IpPrefix address, Inet4Address server, List<Inet4Address> routers, List<Inet4Address> dnsServers,
                        List<Inet4Address> ntpServers, String domainName, List<String> searchDomains, Optional<String> hostname,
                        Optional<Integer> mtu, List<ClasslessRoute> classlessRoutes, Duration leaseTime, Duration renewalTime,
                        Duration rebindingTime, Instant acquired) {

    /** One RFC 3442 route; a router of 0.0.0.0 means on-link. */
    public record ClasslessRoute(IpPrefix destination, Inet4Address router) {
    }

    public DhcpLease {
        routers = List.copyOf(routers);
        dnsServers = List.copyOf(dnsServers);
        ntpServers = List.copyOf(ntpServers);
        searchDomains = List.copyOf(searchDomains);
        classlessRoutes = List.copyOf(classlessRoutes);
    }

    public Instant renewAt() {
        return acquired.plus(renewalTime);
    }

    public Instant rebindAt() {
        return acquired.plus(rebindingTime);
    }

    public Instant expiresAt() {
        return acquired.plus(leaseTime);
    }

    /** Reads a lease from an ACK (or, to judge an offer, an OFFER) received for a request sent at {@code sentAt}. */
    public static DhcpLease from(DhcpMessage reply, Instant sentAt) {
        Inet4Address yiaddr = reply.yourAddress();
        if (yiaddr.equals(DhcpMessage.ANY)) {
            throw new MalformedPacketException("DHCP " + reply.type() + " carries no address (yiaddr 0.0.0.0)");
        }
        int prefix = reply.option(DhcpOption.SUBNET_MASK).map(o -> maskLength(o.value())).orElseGet(() -> classful(yiaddr));
        Inet4Address server = reply.option(DhcpOption.SERVER_ID).map(o -> single(o, "server identifier"))
                .orElseThrow(() -> new MalformedPacketException("DHCP " + reply.type() + " has no server identifier (option 54)"));
        long lease = reply.option(DhcpOption.LEASE_TIME).map(o -> u32(o, "lease time"))
                .orElseThrow(() -> new MalformedPacketException("DHCP " + reply.type() + " has no lease time (option 51)"));
        // 0xffffffff is "infinite"; cap it so timer arithmetic stays in range.
        long leaseSeconds = Math.min(lease, 10L * 365 * 24 * 3600);
        long t1 = reply.option(DhcpOption.RENEWAL_TIME).map(o -> u32(o, "renewal time")).orElse(leaseSeconds / 2);
        long t2 = reply.option(DhcpOption.REBINDING_TIME).map(o -> u32(o, "rebinding time")).orElse(leaseSeconds * 7 / 8);
        t2 = Math.min(t2, leaseSeconds);
        t1 = Math.min(t1, t2);
        Optional<Integer> mtu = reply.option(DhcpOption.INTERFACE_MTU).map(o -> {
            byte[] v = o.value();
            if (v.length != 2) {
                throw new MalformedPacketException("DHCP option 26 (MTU) is " + v.length + " bytes; expected 2");
            }
            return ((v[0] & 0xff) << 8) | (v[1] & 0xff);
        }).filter(m -> m >= 68);
        return new DhcpLease(new IpPrefix(yiaddr, prefix), server,
                addresses(reply, DhcpOption.ROUTER), addresses(reply, DhcpOption.DNS_SERVERS),
                addresses(reply, DhcpOption.NTP_SERVERS),
                reply.option(DhcpOption.DOMAIN_NAME).map(o -> text(o.value())).orElse(""),
                reply.option(DhcpOption.DOMAIN_SEARCH).map(o -> domainSearch(o.value())).orElse(List.of()),
                reply.option(DhcpOption.HOSTNAME).map(o -> text(o.value())).filter(h -> !h.isEmpty()),
                mtu,
                reply.option(DhcpOption.CLASSLESS_STATIC_ROUTES).map(o -> classless(o.value())).orElse(List.of()),
                Duration.ofSeconds(leaseSeconds), Duration.ofSeconds(t1), Duration.ofSeconds(t2), sentAt);
    }

    private static int maskLength(byte[] mask) {
        if (mask.length != 4) {
            throw new MalformedPacketException("DHCP option 1 (subnet mask) is " + mask.length + " bytes; expected 4");
        }
        int m = ((mask[0] & 0xff) << 24) | ((mask[1] & 0xff) << 16) | ((mask[2] & 0xff) << 8) | (mask[3] & 0xff);
        int length = Integer.bitCount(m);
        if (m != (length == 0 ? 0 : -1 << (32 - length))) {
            throw new MalformedPacketException("DHCP subnet mask " + (mask[0] & 0xff) + "." + (mask[1] & 0xff) + "."
                    + (mask[2] & 0xff) + "." + (mask[3] & 0xff) + " is not contiguous");
        }
        return length;
    }

    private static int classful(Inet4Address a) {
        int first = a.getAddress()[0] & 0xff;
        return first < 128 ? 8 : first < 192 ? 16 : 24;
    }

    private static Inet4Address single(DhcpOption o, String what) {
        byte[] v = o.value();
        if (v.length != 4) {
            throw new MalformedPacketException("DHCP option " + o.code() + " (" + what + ") is " + v.length + " bytes; expected 4");
        }
        return DhcpMessage.v4(v);
    }

    private static long u32(DhcpOption o, String what) {
        byte[] v = o.value();
        if (v.length != 4) {
            throw new MalformedPacketException("DHCP option " + o.code() + " (" + what + ") is " + v.length + " bytes; expected 4");
        }
        return Integer.toUnsignedLong(((v[0] & 0xff) << 24) | ((v[1] & 0xff) << 16) | ((v[2] & 0xff) << 8) | (v[3] & 0xff));
    }

    private static List<Inet4Address> addresses(DhcpMessage m, int code) {
        return m.option(code).map(o -> {
            byte[] v = o.value();
            if (v.length % 4 != 0) {
                throw new MalformedPacketException("DHCP option " + code + " is " + v.length + " bytes; expected a multiple of 4");
            }
            List<Inet4Address> out = new ArrayList<>();
            for (int i = 0; i < v.length; i += 4) {
                out.add(DhcpMessage.v4(Arrays.copyOfRange(v, i, i + 4)));
            }
            return out;
        }).orElse(List.of());
    }

    private static String text(byte[] v) {
        int end = 0;
        while (end < v.length && v[end] != 0) {
            end++;
        }
        return new String(v, 0, end, StandardCharsets.US_ASCII).trim();
    }

    /** RFC 3397: a list of DNS names in RFC 1035 wire form, compression pointers allowed within the option. */
    static List<String> domainSearch(byte[] v) {
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i < v.length) {
            StringBuilder name = new StringBuilder();
            int next = -1;
            int p = i;
            int jumps = 0;
            while (true) {
                if (p >= v.length) {
                    throw new MalformedPacketException("DHCP option 119 name at offset " + i + " runs past the option's end");
                }
                int len = v[p] & 0xff;
                if (len == 0) {
                    p++;
                    break;
                }
                if ((len & 0xc0) == 0xc0) {
                    if (p + 1 >= v.length) {
                        throw new MalformedPacketException("DHCP option 119 pointer at offset " + p + " is truncated");
                    }
                    int target = ((len & 0x3f) << 8) | (v[p + 1] & 0xff);
                    if (next < 0) {
                        next = p + 2;
                    }
                    if (++jumps > 64 || target >= v.length) {
                        throw new MalformedPacketException("DHCP option 119 pointer at offset " + p + " to " + target
                                + " loops or points outside the option");
                    }
                    p = target;
                    continue;
                }
                if ((len & 0xc0) != 0 || p + 1 + len > v.length) {
                    throw new MalformedPacketException("DHCP option 119 label at offset " + p + " has length byte " + len
                            + "; expected 1..63 within the option");
                }
                if (!name.isEmpty()) {
                    name.append('.');
                }
                name.append(new String(v, p + 1, len, StandardCharsets.US_ASCII));
                p += 1 + len;
                if (name.length() > 253) {
                    throw new MalformedPacketException("DHCP option 119 name at offset " + i + " exceeds 253 characters");
                }
            }
            names.add(name.toString());
            i = next >= 0 ? next : p;
        }
        return names;
    }

    /** RFC 3442: width, significant destination octets, router. */
    static List<ClasslessRoute> classless(byte[] v) {
        List<ClasslessRoute> out = new ArrayList<>();
        int i = 0;
        while (i < v.length) {
            int width = v[i] & 0xff;
            if (width > 32) {
                throw new MalformedPacketException("DHCP option 121 route at offset " + i + " has prefix length " + width
                        + "; expected 0..32");
            }
            int octets = (width + 7) / 8;
            if (i + 1 + octets + 4 > v.length) {
                throw new MalformedPacketException("DHCP option 121 route at offset " + i + " needs " + (1 + octets + 4)
                        + " bytes; only " + (v.length - i) + " remain");
            }
            byte[] destination = new byte[4];
            System.arraycopy(v, i + 1, destination, 0, octets);
            Inet4Address router = DhcpMessage.v4(Arrays.copyOfRange(v, i + 1 + octets, i + 5 + octets));
            out.add(new ClasslessRoute(new IpPrefix(DhcpMessage.v4(destination), width).network(), router));
            i += 1 + octets + 4;
        }
        return out;
    }
}
