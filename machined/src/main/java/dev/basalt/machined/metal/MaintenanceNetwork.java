package dev.basalt.machined.metal;

import dev.basalt.networkd.NetworkController;
import dev.basalt.networkd.config.InterfaceConfig;
import dev.basalt.networkd.config.KernelIpArgument;
import dev.basalt.networkd.config.NetworkConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The network of a node without a machine config: networkd with DHCP on every link the kernel has (the defaults
 * layer), overridden by the kernel command line's {@code ip=} (the cmdline layer), as Talos does in maintenance.
 *
 * <p>Thread-safe as {@link NetworkController} is; owns the controller and its watch thread until {@link #close()}.
 */
public final class MaintenanceNetwork implements AutoCloseable {
    private final NetworkController controller;

    private MaintenanceNetwork(NetworkController controller) {
        this.controller = controller;
    }

    /** Starts networkd against the real kernel with the maintenance layers. */
    public static MaintenanceNetwork start(Path sysClassNet, String cmdline) throws IOException {
        return start(sysClassNet, cmdline, List.of());
    }

    /**
     * Starts networkd with the maintenance layers and, above them, {@code higher} (a configured node's machine
     * config layer: its hostname and resolvers).
     */
    public static MaintenanceNetwork start(Path sysClassNet, String cmdline, List<NetworkConfig> higher)
            throws IOException {
        NetworkController controller = new NetworkController(NetworkController.Environment.system(status -> {
        }));
        // A platform thread: the watch waits in poll(2), which would pin a virtual thread's carrier.
        Thread.ofPlatform().daemon().name("networkd").start(controller::run);
        List<String> links = physicalLinks(sysClassNet);
        List<NetworkConfig> all = new ArrayList<>(layers(links, cmdline));
        all.addAll(higher);
        controller.apply(all);
        return new MaintenanceNetwork(controller);
    }

    /**
     * defaults (loopback up, DHCP on every link) &lt; {@code ip=} from the kernel command line. Nothing else brings
     * {@code lo} up on a metal node, and without it nothing on the node reaches 127.0.0.1 or its own addresses
     * (health checks, apid relaying to itself).
     */
    static List<NetworkConfig> layers(List<String> links, String cmdline) {
        List<InterfaceConfig> dhcp = new ArrayList<>();
        dhcp.add(InterfaceConfig.statics("lo", List.of(), List.of()));
        for (String link : links) {
            dhcp.add(InterfaceConfig.dhcp(link));
        }
        NetworkConfig defaults = NetworkConfig.defaults().withInterfaces(dhcp);
        String first = links.isEmpty() ? "eth0" : links.getFirst();
        return List.of(defaults, KernelIpArgument.fromCommandLine(cmdline, first));
    }

    /** Links under /sys/class/net except loopback and virtual devices (they have no {@code device} link). */
    static List<String> physicalLinks(Path sysClassNet) throws IOException {
        if (!Files.isDirectory(sysClassNet)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(sysClassNet)) {
            return entries.filter(p -> Files.exists(p.resolve("device")))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    public NetworkController controller() {
        return controller;
    }

    @Override
    public void close() {
        controller.close();
    }
}
