package dev.basalt.machined.metal;

import dev.basalt.blockd.disks.DiskDiscovery;
import dev.basalt.machined.api.HostFacts;
import dev.basalt.machined.api.HostResources;
import dev.basalt.machined.api.KmsgKernelLog;
import dev.basalt.machined.api.LinuxHostFacts;
import dev.basalt.machined.api.MachineApi;
import dev.basalt.machined.api.MetaAccess;
import dev.basalt.machined.api.PowerControl;
import dev.basalt.machined.api.ResetControl;
import dev.basalt.machined.api.SelfServices;
import dev.basalt.machined.api.ServiceControl;
import dev.basalt.machined.api.StateApi;
import dev.basalt.machined.api.StorageApi;
import dev.basalt.machined.maintenance.Installation;
import dev.basalt.machined.maintenance.MaintenanceConfigs;
import dev.basalt.machined.maintenance.MaintenanceServer;
import dev.basalt.machined.sequencer.Initialize;
import dev.basalt.machined.services.LogBuffer;
import dev.basalt.machinery.api.BuildInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Maintenance mode of a metal node: networkd with DHCP on all links, then the maintenance API (self-signed TLS,
 * readers and ApplyConfiguration only) on port 50000. Started by the Initialize sequence when no config was
 * found; lives as long as machined.
 *
 * <p>Thread-safe; {@link #start} runs once.
 */
public final class MetalMaintenance implements Initialize.Maintenance {
    private static final Duration ADDRESS_WAIT = Duration.ofSeconds(20);

    private final Path root;
    private final String cmdline;
    private final PowerControl power;
    private final Installation installation;
    private final ResetControl resets;
    private volatile MaintenanceNetwork network;
    private volatile MaintenanceServer server;

    /**
     * @param root    the filesystem root
     * @param cmdline the whole kernel command line (for {@code ip=})
     * @param power   reboot and power-off of this machine
     */
    public MetalMaintenance(Path root, String cmdline, PowerControl power) {
        this(root, cmdline, power, Installation.NONE, ResetControl.NONE);
    }

    /**
     * @param installation installs to the disk an applied config names
     * @param resets       wipes the installed system disk (a node booted from a disk whose STATE was wiped)
     */
    public MetalMaintenance(Path root, String cmdline, PowerControl power, Installation installation,
                            ResetControl resets) {
        this.root = root;
        this.cmdline = cmdline;
        this.resets = resets;
        this.power = power;
        this.installation = installation;
    }

    @Override
    public synchronized String start() throws IOException {
        network = MaintenanceNetwork.start(root.resolve("sys/class/net"), cmdline);
        HostFacts facts = LinuxHostFacts.system(Optional.empty());
        ServiceControl services = new SelfServices(new LogBuffer(1_024, 1 << 20), Instant.now());
        MaintenanceConfigs configs = new MaintenanceConfigs(() -> {
            try {
                return DiskDiscovery.discover(root.resolve("sys"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list disks under " + root.resolve("sys"), e);
            }
        }, root.resolve("system/state/config.yaml"), installation);
        MetaAccess meta = new DiskMeta(root.resolve("sys"));
        MachineApi machine = new MachineApi(facts, KmsgKernelLog.system(), services, power, configs,
                BuildInfo.current(), "metal", meta, resets);
        server = MaintenanceServer.start(MaintenanceServer.PORT, machine, new StorageApi(facts),
                new StateApi(new NetworkResources(network.controller()::status, new HostResources(facts, services, dev.basalt.machined.api.ClusterMembers.NONE, meta,
                        dev.basalt.machined.api.Disks.fromSysfs(root.resolve("sys")))),
                        Duration.ofSeconds(1)));
        return server.fingerprint();
    }

    @Override
    public List<String> addresses() {
        // DHCP may still be in flight; the banner is worth a short wait for an address to show.
        long deadline = System.nanoTime() + ADDRESS_WAIT.toNanos();
        List<String> found = Initialize.interfaceAddresses();
        while (found.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            found = Initialize.interfaceAddresses();
        }
        return found;
    }
}
