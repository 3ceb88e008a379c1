package dev.basalt.ctl.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates, lists and destroys local Basalt clusters as Docker containers: one user-defined bridge network per
 * cluster, one container per node from the node image ({@code basalt/node:VERSION}, the rootfs imported with
 * {@code bin/build-node-image}) with machined as PID 1, {@code PLATFORM=container} and the machine config in
 * {@code USERDATA} (base64). Containers and networks carry the labels {@code basalt.cluster.name} and
 * {@code basalt.type}; show and destroy find them by those labels, so nothing is left behind even without local
 * state.
 *
 * <p>Containers run with the capability set that works on this machine type ({@code --privileged} does not:
 * CAP_SYS_RESOURCE is not in the bounding set): all capabilities but SYS_RESOURCE, no seccomp/AppArmor, full
 * /sys and /proc, every device, a read-only root with tmpfs /run, /tmp and /system, an anonymous volume for /var,
 * and the host's cgroup tree so containerd inside can run containers.
 *
 * <p>Thread-safe (stateless apart from the engine client).
 */
public final class DockerProvisioner {
    public static final String LABEL_CLUSTER = "basalt.cluster.name";
    public static final String LABEL_TYPE = "basalt.type";

    private final DockerEngine engine;

    public DockerProvisioner(DockerEngine engine) {
        this.engine = engine;
    }

    /** A node as it exists in Docker. */
    public record NodeInfo(String name, NodeType type, String ip, String state, String containerId) {
    }

    /**
     * Creates the network and the nodes of {@code plan}; {@code configs} holds each node type's machine config.
     * Fails before creating anything when the image is missing or a cluster of that name exists; removes what it
     * created when a later step fails.
     */
    public List<NodeInfo> create(ClusterPlan plan, String image, Map<NodeType, String> configs)
            throws DockerException {
        engine.ping();
        if (!engine.imageExists(image)) {
            throw new DockerException(404, "node image " + image + " does not exist in the Docker engine; build it "
                    + "with bin/build-node-image (it imports _out/rootfs-amd64.sqsh made by bin/build-image)");
        }
        if (!show(plan.name()).isEmpty() || !engine.networks(LABEL_CLUSTER + "=" + plan.name()).isEmpty()) {
            throw new DockerException(409, "cluster '" + plan.name() + "' already exists; destroy it first with "
                    + "'basaltctl cluster destroy --name " + plan.name() + "'");
        }
        try {
            engine.createNetwork(plan.name(), plan.subnet(), plan.gateway(),
                    Map.of(LABEL_CLUSTER, plan.name()));
            for (ClusterPlan.Node node : plan.nodes()) {
                String config = configs.get(node.type());
                if (config == null) {
                    throw new IllegalArgumentException("no machine config for node type " + node.type().label());
                }
                String id = engine.createContainer(node.name(), containerBody(plan, node, image, config));
                engine.startContainer(id);
            }
        } catch (DockerException | RuntimeException e) {
            try {
                destroy(plan.name());
            } catch (DockerException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return show(plan.name());
    }

    /** The create body of one node container. */
    static Map<String, Object> containerBody(ClusterPlan plan, ClusterPlan.Node node, String image, String config) {
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("CapAdd", List.of("ALL"));
        host.put("CapDrop", List.of("SYS_RESOURCE"));
        host.put("SecurityOpt", List.of("seccomp=unconfined", "apparmor=unconfined"));
        // The CLI's "--security-opt systempaths=unconfined" is client-side: the API takes empty path lists.
        host.put("MaskedPaths", List.of());
        host.put("ReadonlyPaths", List.of());
        host.put("DeviceCgroupRules", List.of("a *:* rwm"));
        host.put("ReadonlyRootfs", true);
        // Docker mounts tmpfs noexec by default; the JVMs unpack netty's native transport into /tmp and load it
        // from there, and containerd keeps runc's state under /run, so those two must allow exec.
        host.put("Tmpfs", Map.of("/run", "rw,exec,nosuid,nodev", "/tmp", "rw,exec,nosuid,nodev",
                "/system", "rw,nosuid,nodev"));
        host.put("Binds", List.of("/sys/fs/cgroup:/sys/fs/cgroup:rw"));
        host.put("NetworkMode", plan.name());
        host.put("Init", false);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Image", image);
        body.put("Hostname", node.name());
        body.put("Env", List.of("PLATFORM=container",
                "USERDATA=" + Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8))));
        body.put("Labels", Map.of(LABEL_CLUSTER, plan.name(), LABEL_TYPE, node.type().label()));
        body.put("Volumes", Map.of("/var", Map.of()));
        body.put("StopSignal", "SIGTERM");
        body.put("HostConfig", host);
        body.put("NetworkingConfig", Map.of("EndpointsConfig", Map.of(plan.name(),
                Map.of("IPAMConfig", Map.of("IPv4Address", node.ip())))));
        return body;
    }

    /** The cluster's nodes sorted by name; empty when no such cluster exists. */
    public List<NodeInfo> show(String name) throws DockerException {
        List<NodeInfo> nodes = new ArrayList<>();
        for (Map<String, Object> c : engine.containers(LABEL_CLUSTER + "=" + name)) {
            Object names = c.get("Names");
            String containerName = names instanceof List<?> l && !l.isEmpty() ? String.valueOf(l.getFirst()) : "";
            if (containerName.startsWith("/")) {
                containerName = containerName.substring(1);
            }
            NodeType type = NodeType.fromLabel(Json.string(c, "Labels", LABEL_TYPE));
            String ip = Json.string(c, "NetworkSettings", "Networks", name, "IPAddress");
            if (ip.isEmpty()) {
                ip = Json.string(c, "NetworkSettings", "Networks", name, "IPAMConfig", "IPv4Address");
            }
            nodes.add(new NodeInfo(containerName, type, ip, Json.string(c, "State"), Json.string(c, "Id")));
        }
        nodes.sort(Comparator.comparing(NodeInfo::type).thenComparing(NodeInfo::name, DockerProvisioner::natural));
        return nodes;
    }

    /** Stops one node's container (keeps it, so {@code show} still lists it as exited). */
    public void stopNode(String cluster, String node, int graceSeconds) throws DockerException {
        for (NodeInfo n : show(cluster)) {
            if (n.name().equals(node)) {
                engine.stopContainer(n.containerId(), graceSeconds);
                return;
            }
        }
        throw new DockerException(404, "cluster '" + cluster + "' has no node '" + node + "'");
    }

    /** Removes every container and network labelled with the cluster name; returns how many objects went. */
    public int destroy(String name) throws DockerException {
        engine.ping();
        int removed = 0;
        for (Map<String, Object> c : engine.containers(LABEL_CLUSTER + "=" + name)) {
            engine.removeContainer(Json.string(c, "Id"));
            removed++;
        }
        for (Map<String, Object> n : engine.networks(LABEL_CLUSTER + "=" + name)) {
            engine.removeNetwork(Json.string(n, "Id"));
            removed++;
        }
        return removed;
    }

    /** Orders node-2 before node-10. */
    static int natural(String a, String b) {
        int i = a.length() - 1;
        while (i >= 0 && Character.isDigit(a.charAt(i))) {
            i--;
        }
        int j = b.length() - 1;
        while (j >= 0 && Character.isDigit(b.charAt(j))) {
            j--;
        }
        String pa = a.substring(0, i + 1);
        String pb = b.substring(0, j + 1);
        if (pa.equals(pb) && i < a.length() - 1 && j < b.length() - 1
                && a.length() - i < 10 && b.length() - j < 10) {
            return Integer.compare(Integer.parseInt(a.substring(i + 1)), Integer.parseInt(b.substring(j + 1)));
        }
        return a.compareTo(b);
    }
}
