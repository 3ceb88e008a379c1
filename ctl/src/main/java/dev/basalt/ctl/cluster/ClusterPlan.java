package dev.basalt.ctl.cluster;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The layout of a local cluster before anything is created: its network (an IPv4 CIDR; the gateway takes the
 * first address) and its nodes with fixed addresses, control planes first ({@code NAME-controlplane-1} at .2,
 * ...), then workers, as Talos' provisioners name them.
 */
public record ClusterPlan(String name, String subnet, String gateway, int prefix, List<Node> nodes) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,40}");

    /** One planned node. */
    public record Node(String name, NodeType type, String ip) {
    }

    public ClusterPlan {
        nodes = List.copyOf(nodes);
    }

    public static ClusterPlan of(String name, String cidr, int controlPlanes, int workers) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("cluster name '" + name + "' is invalid; expected lower-case letters,"
                    + " digits and '-', starting with a letter or digit, at most 41 characters");
        }
        if (controlPlanes < 1) {
            throw new IllegalArgumentException("--controlplanes must be at least 1, got " + controlPlanes);
        }
        if (workers < 0) {
            throw new IllegalArgumentException("--workers must not be negative, got " + workers);
        }
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("--cidr '" + cidr + "' is not an IPv4 CIDR like 10.5.0.0/24");
        }
        int base;
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
            InetAddress a = InetAddress.ofLiteral(cidr.substring(0, slash));
            if (!(a instanceof Inet4Address)) {
                throw new IllegalArgumentException("--cidr '" + cidr + "' is not IPv4");
            }
            byte[] b = a.getAddress();
            base = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--cidr '" + cidr + "' is not an IPv4 CIDR like 10.5.0.0/24");
        }
        if (prefix < 8 || prefix > 29) {
            throw new IllegalArgumentException("--cidr '" + cidr + "' prefix must be between /8 and /29");
        }
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        base &= mask;
        long usable = (1L << (32 - prefix)) - 3; // network, gateway, broadcast
        if (controlPlanes + workers > usable) {
            throw new IllegalArgumentException("--cidr '" + cidr + "' has room for " + usable + " nodes, "
                    + (controlPlanes + workers) + " requested");
        }
        List<Node> nodes = new ArrayList<>();
        int next = base + 2;
        for (int i = 1; i <= controlPlanes; i++) {
            nodes.add(new Node(name + "-controlplane-" + i, NodeType.CONTROLPLANE, ip(next++)));
        }
        for (int i = 1; i <= workers; i++) {
            nodes.add(new Node(name + "-worker-" + i, NodeType.WORKER, ip(next++)));
        }
        return new ClusterPlan(name, ip(base) + "/" + prefix, ip(base + 1), prefix, nodes);
    }

    public List<Node> controlPlanes() {
        return nodes.stream().filter(n -> n.type() == NodeType.CONTROLPLANE).toList();
    }

    /** The Kubernetes API endpoint the configs are generated for: the first control plane. */
    public String endpoint() {
        return "https://" + controlPlanes().getFirst().ip() + ":6443";
    }

    private static String ip(int v) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8),
                    (byte) v}).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
