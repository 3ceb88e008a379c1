package dev.basalt.machined.metal;

import dev.basalt.blockd.boot.SystemVolumes;
import dev.basalt.blockd.disks.Disk;
import dev.basalt.blockd.disks.DiskDiscovery;
import dev.basalt.blockd.fs.Mounter;
import dev.basalt.blockd.luks.KeyProvider;
import dev.basalt.blockd.luks.VolumeEncryption;
import dev.basalt.machined.api.MetaAccess;
import dev.basalt.machined.api.ClusterOps;
import dev.basalt.machined.api.NodeApiException;
import dev.basalt.machined.api.PowerControl;
import dev.basalt.machined.api.ResetControl;
import dev.basalt.machined.system.SystemConsole;
import dev.basalt.machined.node.ConfigApplier;
import dev.basalt.machined.node.ConfiguredNode;
import dev.basalt.machined.node.NodePlatform;
import dev.basalt.machinery.config.Machine;
import dev.basalt.machinery.config.MachineConfig;
import dev.basalt.machinery.config.ValidationMode;
import dev.basalt.networkd.config.NetworkConfig;
import dev.basalt.networkd.resource.ConfigLayer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node booted from its installed disk: {@link #mountState} (a task of the Initialize sequence) finds the system
 * disk and mounts STATE, unlocking it first when it is encrypted; the config is STATE's {@code config.yaml};
 * {@link #prepare} mounts EPHEMERAL at /var (unlocked with the config's keys), mounts the cgroup2 hierarchy and
 * starts networkd (DHCP on every link, the config's hostname and resolvers above it).
 *
 * <p>Not thread-safe: the boot sequence calls it in order from one thread.
 */
public final class MetalPlatform implements NodePlatform {
    public static final String CONFIG_FILE = "config.yaml";

    private final Path root;
    private final String cmdline;
    private final MetalPower power;
    private final SystemConsole console;
    private final SystemVolumes volumes;
    private final Mounter mounter;
    private Optional<SystemVolumes.SystemDisk> system = Optional.empty();
    private MaintenanceNetwork network;

    /**
     * @param root    the filesystem root ({@code /})
     * @param cmdline the whole kernel command line (for {@code ip=})
     */
    public MetalPlatform(Path root, String cmdline, MetalPower power, SystemVolumes volumes, Mounter mounter,
                         SystemConsole console) {
        this.root = root;
        this.console = console;
        this.cmdline = cmdline;
        this.power = power;
        this.volumes = volumes;
        this.mounter = mounter;
    }

    /** The Initialize task that mounts STATE when the machine has an installed system disk. */
    public String mountState() throws IOException {
        List<Path> disks = DiskDiscovery.discover(root.resolve("sys")).stream().filter(d -> !d.readOnly())
                .map(Disk::devPath).toList();
        system = SystemVolumes.locate(disks);
        if (system.isEmpty()) {
            return "no installed system disk among " + disks;
        }
        return volumes.mountState(system.get(), root.resolve("system/state")) + "; "
                + SystemVolumes.metaStatus(system.get());
    }

    /** The installed system disk {@link #mountState} found. */
    public Optional<SystemVolumes.SystemDisk> systemDisk() {
        return system;
    }

    @Override
    public String name() {
        return "metal";
    }

    @Override
    public ValidationMode validationMode() {
        return ValidationMode.METAL;
    }

    @Override
    public ConfigText config() throws ConfiguredNode.ConfigException {
        Path file = root.resolve("system/state").resolve(CONFIG_FILE);
        try {
            return new ConfigText(Files.readString(file), "STATE (" + file + ")");
        } catch (IOException e) {
            throw new ConfiguredNode.ConfigException("cannot read the machine config " + file + ": " + e.getMessage());
        }
    }

    @Override
    public String prepare(MachineConfig config) throws IOException {
        List<String> done = new ArrayList<>();
        if (system.isPresent()) {
            Path var = root.resolve("var");
            List<VolumeEncryption.SlotKey> keys;
            try {
                keys = MetalInstall.keys(config, "ephemeral");
            } catch (dev.basalt.machined.api.NodeApiException e) {
                throw new IOException(e.getMessage(), e);
            }
            done.add(volumes.mountEphemeral(system.get(), keys, staticKeys(keys), var));
            for (String dir : List.of("log", "lib")) {
                Files.createDirectories(var.resolve(dir));
            }
        }
        Path cgroup = root.resolve("sys/fs/cgroup");
        try {
            Files.createDirectories(cgroup);
            mounter.mount(Path.of("cgroup2"), cgroup, "cgroup2", "nsdelegate");
            done.add("cgroup2 mounted at " + cgroup);
        } catch (IOException e) {
            done.add("cgroup2 not mounted (" + e.getMessage() + ")");
        }
        network = MaintenanceNetwork.start(root.resolve("sys/class/net"), cmdline, List.of(machineLayer(config)));
        done.add("networkd started (DHCP on every link" + config.machine().network().hostname()
                .map(h -> ", hostname " + h).orElse("") + ")");
        return String.join("; ", done);
    }

    /** The config's network settings networkd acts on: hostname and resolvers. */
    static NetworkConfig machineLayer(MachineConfig config) {
        Machine.Network net = config.machine().network();
        NetworkConfig layer = NetworkConfig.empty(ConfigLayer.MACHINE_CONFIG);
        if (net.hostname().isPresent()) {
            layer = layer.withHostname(net.hostname().get());
        }
        List<InetAddress> servers = new ArrayList<>();
        for (String s : net.nameservers()) {
            servers.add(InetAddress.ofLiteral(s));
        }
        return layer.withNameservers(servers);
    }

    /** The static passphrases among {@code keys}, by slot: what unlocking needs besides nodeID. */
    static Map<Integer, KeyProvider.Static> staticKeys(List<VolumeEncryption.SlotKey> keys) {
        Map<Integer, KeyProvider.Static> out = new HashMap<>();
        for (VolumeEncryption.SlotKey k : keys) {
            if (k.provider() instanceof KeyProvider.Static s) {
                out.put(k.slot(), s);
            }
        }
        return out;
    }

    @Override
    public PowerControl power(Runnable orderlyStop) {
        return power;
    }

    @Override
    public ConfigApplier configApplier(MachineConfig current, String hostname) {
        return new StateConfigApplier(root.resolve("system/state").resolve(CONFIG_FILE), current, power);
    }

    @Override
    public ResetControl resetControl(ClusterOps ops) {
        return new MetalReset(power, this::systemDisk, () -> {
            try {
                ops.etcdLeave();
                console.line("reset", "left the etcd cluster");
            } catch (NodeApiException e) {
                console.line("reset", "did not leave etcd: " + e.getMessage());
            }
        }, console);
    }

    /** Reset in maintenance mode: no etcd to leave. */
    public ResetControl maintenanceResetControl() {
        return new MetalReset(power, this::systemDisk, () -> { }, console);
    }

    @Override
    public MetaAccess meta() {
        return new DiskMeta(root.resolve("sys"));
    }

    @Override
    public boolean containerdInContainer() {
        return false;
    }

    /** The network of the configured node, once {@link #prepare} ran. */
    public Optional<MaintenanceNetwork> network() {
        return Optional.ofNullable(network);
    }
}
