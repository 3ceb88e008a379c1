package dev.basalt.machined.etcd;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how a node runs etcd. On a node: binary {@code /usr/bin/etcd}, data {@code /var/lib/etcd}, PKI in
 * {@code /system/secrets/etcd}, peer port 2380 and client port 2379 on the node address (clients also on
 * loopback). Tests run several on loopback with their own ports and directories.
 *
 * @param name        the member name (the node's hostname)
 * @param address     the address peers and clients reach this node on
 * @param clientPort  client port (2379)
 * @param peerPort    peer port (2380)
 * @param extraArgs   {@code cluster.etcd.extraArgs} of the machine config, passed as {@code --key=value}
 */
public record EtcdSettings(String name, InetAddress address, int clientPort, int peerPort, Path binary, Path dataDir,
                           Path pkiDir, Map<String, String> extraArgs) {
    public static final Path DEFAULT_BINARY = Path.of("/usr/bin/etcd");
    public static final Path DEFAULT_DATA_DIR = Path.of("/var/lib/etcd");
    public static final Path DEFAULT_PKI_DIR = Path.of("/system/secrets/etcd");

    public EtcdSettings {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("etcd member name must not be blank");
        }
        Objects.requireNonNull(address, "address");
        extraArgs = Map.copyOf(extraArgs);
    }

    /** A node's settings with the standard ports and paths. */
    public static EtcdSettings node(String hostname, InetAddress address, Map<String, String> extraArgs) {
        return new EtcdSettings(hostname, address, 2379, 2380, DEFAULT_BINARY, DEFAULT_DATA_DIR, DEFAULT_PKI_DIR,
                extraArgs);
    }

    public String peerUrl() {
        return "https://" + host(address) + ":" + peerPort;
    }

    public String clientUrl() {
        return "https://" + host(address) + ":" + clientPort;
    }

    /** The endpoint machined itself talks to: loopback, so it works whatever the node address. */
    public URI localClientUrl() {
        return URI.create("https://127.0.0.1:" + clientPort);
    }

    public EtcdPki.Files pki() {
        return EtcdPki.Files.in(pkiDir);
    }

    /** etcd's marker that the data directory holds a member (etcd creates {@code member/} on first start). */
    public Path memberDir() {
        return dataDir.resolve("member");
    }

    static String host(InetAddress a) {
        String h = a.getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    /** The command line etcd is started with. */
    public List<String> command(InitialCluster initial) {
        List<String> args = new java.util.ArrayList<>(List.of(
                binary.toString(),
                "--name=" + name,
                "--data-dir=" + dataDir,
                "--listen-peer-urls=https://" + host(address) + ":" + peerPort,
                "--listen-client-urls=" + clientUrl() + (address.isLoopbackAddress() ? ""
                        : ",https://127.0.0.1:" + clientPort),
                "--advertise-client-urls=" + clientUrl(),
                "--initial-advertise-peer-urls=" + peerUrl(),
                "--initial-cluster=" + initial.flag(),
                "--initial-cluster-state=" + initial.state().flag(),
                "--cert-file=" + pki().serverCert(),
                "--key-file=" + pki().serverKey(),
                "--trusted-ca-file=" + pki().ca(),
                "--client-cert-auth=true",
                "--peer-cert-file=" + pki().peerCert(),
                "--peer-key-file=" + pki().peerKey(),
                "--peer-trusted-ca-file=" + pki().ca(),
                "--peer-client-cert-auth=true"));
        extraArgs.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> args.add("--" + e.getKey() + "=" + e.getValue()));
        return args;
    }
}
