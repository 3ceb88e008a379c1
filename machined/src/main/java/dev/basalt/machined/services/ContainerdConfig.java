package dev.basalt.machined.services;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The containerd configuration machined writes before starting containerd (containerd config format version 2):
 * <pre>
 *   version = 2
 *   root = "/var/lib/containerd"
 *   state = "/run/containerd"
 *   [grpc]
 *     address = "/run/containerd/containerd.sock"
 *   [plugins."io.containerd.grpc.v1.cri".containerd]
 *     snapshotter = "overlayfs"
 *   [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
 *     runtime_type = "io.containerd.runc.v2"
 *   [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
 *     SystemdCgroup = false
 * </pre>
 * The snapshotter is {@code native} in container mode, where /var sits on an overlay that overlayfs cannot
 * stack on; the cgroup driver is cgroupfs, since there is no systemd to delegate to.
 *
 * @param configFile where the TOML is written (a tmpfs path: the rootfs is read-only)
 */
public record ContainerdConfig(Path root, Path state, Path socket, Path configFile, Snapshotter snapshotter,
                               CgroupDriver cgroupDriver) {
    /** How containerd stores image layers. */
    public enum Snapshotter {
        OVERLAYFS("overlayfs"), NATIVE("native");

        private final String name;

        Snapshotter(String name) {
            this.name = name;
        }

        public String configName() {
            return name;
        }
    }

    /** Which cgroup manager runc uses. */
    public enum CgroupDriver { CGROUPFS, SYSTEMD }

    public ContainerdConfig {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(snapshotter, "snapshotter");
        Objects.requireNonNull(cgroupDriver, "cgroupDriver");
    }

    /** A node's containerd: overlayfs on metal and VMs, native in container mode. */
    public static ContainerdConfig node(boolean containerMode) {
        return new ContainerdConfig(Path.of("/var/lib/containerd"), Path.of("/run/containerd"),
                Path.of("/run/containerd/containerd.sock"), Path.of("/run/basalt/containerd/config.toml"),
                containerMode ? Snapshotter.NATIVE : Snapshotter.OVERLAYFS, CgroupDriver.CGROUPFS);
    }

    /** The TOML text. */
    public String toml() {
        return "version = 2\n"
                + "root = " + quote(root.toString()) + "\n"
                + "state = " + quote(state.toString()) + "\n"
                + "\n[grpc]\n"
                + "  address = " + quote(socket.toString()) + "\n"
                + "\n[plugins.\"io.containerd.grpc.v1.cri\".containerd]\n"
                + "  snapshotter = " + quote(snapshotter.configName()) + "\n"
                + "\n[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]\n"
                + "  runtime_type = \"io.containerd.runc.v2\"\n"
                + "\n[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]\n"
                + "  SystemdCgroup = " + (cgroupDriver == CgroupDriver.SYSTEMD) + "\n";
    }

    /** A TOML basic string (backslash and quote escaped; control characters refused). */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("containerd config value contains a control character: " + s);
            }
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('"').toString();
    }
}
