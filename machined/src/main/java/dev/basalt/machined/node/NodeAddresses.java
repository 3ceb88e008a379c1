package dev.basalt.machined.node;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The node's name and addresses as the platform gave them. In container mode Docker assigns both (the hostname
 * of the container, the address of its endpoint on the cluster network), so machined reads them rather than
 * configuring anything. The JDK's interface list is read through netlink on Linux.
 *
 * <p>Stateless; thread-safe.
 */
public final class NodeAddresses {
    private NodeAddresses() {
    }

    /** The hostname: {@code machine.network.hostname} when set, otherwise the kernel's (UTS namespace). */
    public static String hostname(Optional<String> configured, Path procHostname) throws IOException {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return configured.get().strip();
        }
        String kernel = Files.readString(procHostname).strip();
        if (kernel.isEmpty()) {
            throw new IOException(procHostname + " is empty; expected the node's hostname");
        }
        return kernel;
    }

    /**
     * Global unicast addresses of interfaces that are up, IPv4 first; link-local and loopback addresses are
     * left out since no peer can use them to reach this node.
     */
    public static List<InetAddress> addresses() throws SocketException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (!a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress()
                        && !a.isMulticastAddress()) {
                    out.add(a);
                }
            }
        }
        out.sort(Comparator.comparing((InetAddress a) -> a instanceof Inet4Address ? 0 : 1)
                .thenComparing(InetAddress::getHostAddress));
        return out;
    }

    /** {@link #addresses()} without the scope suffix Java puts on IPv6 literals. */
    public static String literal(InetAddress a) {
        String s = a.getHostAddress();
        int percent = s.indexOf('%');
        return percent < 0 ? s : s.substring(0, percent);
    }
}
