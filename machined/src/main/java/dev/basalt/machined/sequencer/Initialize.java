package dev.basalt.machined.sequencer;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The Initialize sequence: prepares the writable system directories, acquires the machine config (STATE, then
 * the kernel command line's {@code basalt.config=URL}, else maintenance mode) and, without a config, announces
 * maintenance mode with the node's addresses and the commands to apply one.
 *
 * <p>Building the sequence is thread-safe; the tasks share a {@link ConfigSource} slot and must run in order, as
 * the {@link Sequencer} runs them.
 */
public final class Initialize {
    /** Where the machine config came from. */
    public sealed interface ConfigSource permits StateConfig, KernelArgumentConfig, NoConfig {
    }

    /** The config saved on the STATE partition at install. */
    public record StateConfig(Path file) implements ConfigSource {
    }

    /** {@code basalt.config=URL} on the kernel command line. */
    public record KernelArgumentConfig(String url) implements ConfigSource {
    }

    /** Nothing found: maintenance mode. */
    public record NoConfig() implements ConfigSource {
    }

    /**
     * The services of maintenance mode (network, maintenance API), started only when no config was found.
     * Implementations are called once, from the sequence's thread.
     */
    public interface Maintenance {
        /** Starts the services; returns the SHA-256 fingerprint of the maintenance API's certificate. */
        String start() throws Exception;

        /** The node's addresses for the banner, e.g. {@code 10.0.2.15 (eth0)}; may wait briefly for DHCP. */
        List<String> addresses();
    }

    /** The console banner lines, one per element. */
    public static final String MAINTENANCE_TITLE = "maintenance mode: no machine config";

    private final Path root;
    private final Map<String, String> cmdline;
    private final Supplier<List<String>> addresses;
    private final Consumer<List<String>> banner;
    private final Optional<Maintenance> maintenance;
    private ConfigSource source;
    private String fingerprint = "";

    /**
     * @param root      the filesystem root ({@code /} on a node, a temporary directory in tests)
     * @param cmdline   kernel command line parameters
     * @param addresses the node's addresses for the banner, e.g. {@code 10.0.2.15 (eth0)}
     * @param banner    prints the banner's lines together
     */
    public Initialize(Path root, Map<String, String> cmdline, Supplier<List<String>> addresses,
                      Consumer<List<String>> banner) {
        this.root = root;
        this.cmdline = Map.copyOf(cmdline);
        this.addresses = addresses;
        this.banner = banner;
        this.maintenance = Optional.empty();
    }

    /**
     * An Initialize that starts {@code maintenance} when no config is found and shows its addresses and
     * certificate fingerprint in the banner.
     */
    public Initialize(Path root, Map<String, String> cmdline, Maintenance maintenance, Consumer<List<String>> banner) {
        this.root = root;
        this.cmdline = Map.copyOf(cmdline);
        this.addresses = maintenance::addresses;
        this.banner = banner;
        this.maintenance = Optional.of(maintenance);
    }

    public Sequence sequence(List<Task> extraTasks) {
        return sequence(List.of(), extraTasks);
    }

    /**
     * @param beforeConfig tasks between preparing the directories and looking for the config (mounting STATE)
     * @param extraTasks   tasks at the end
     */
    public Sequence sequence(List<Task> beforeConfig, List<Task> extraTasks) {
        List<Task> tasks = new ArrayList<>();
        tasks.add(new Task("setupSystemDirectories", this::setupSystemDirectories));
        tasks.addAll(beforeConfig);
        tasks.add(new Task("loadConfig", this::loadConfig));
        if (maintenance.isPresent()) {
            tasks.add(new Task("startMaintenanceServices", this::startMaintenanceServices));
        }
        tasks.add(new Task("enterMaintenance", this::enterMaintenance));
        tasks.addAll(extraTasks);
        return new Sequence("initialize", tasks);
    }

    /** The config source {@code loadConfig} found; empty before it ran. */
    public Optional<ConfigSource> configSource() {
        return Optional.ofNullable(source);
    }

    static final List<String> SYSTEM_DIRECTORIES = List.of("system/state", "system/run/machined", "system/secrets",
            "var/log", "var/lib", "run/basalt");

    String setupSystemDirectories() throws IOException {
        for (String dir : SYSTEM_DIRECTORIES) {
            Files.createDirectories(root.resolve(dir));
        }
        return "created " + SYSTEM_DIRECTORIES.size() + " directories";
    }

    String loadConfig() {
        Path state = root.resolve("system/state/config.yaml");
        if (Files.isRegularFile(state)) {
            source = new StateConfig(state);
            return "config found on STATE (" + state + ")";
        }
        String url = cmdline.get("basalt.config");
        if (url != null && !url.isBlank()) {
            source = new KernelArgumentConfig(url);
            return "config to fetch from basalt.config=" + url;
        }
        source = new NoConfig();
        return "no config on STATE or kernel command line; entering maintenance mode";
    }

    String startMaintenanceServices() throws Exception {
        if (!(source instanceof NoConfig)) {
            return "skipped: config source is " + source;
        }
        fingerprint = maintenance.orElseThrow().start();
        return "networkd (DHCP on all links) and the maintenance API on port 50000 started";
    }

    String enterMaintenance() {
        if (!(source instanceof NoConfig)) {
            return "skipped: config source is " + source;
        }
        List<String> found = addresses.get();
        List<String> lines = new ArrayList<>();
        String rule = "[basalt] " + "=".repeat(72);
        lines.add(rule);
        lines.add("[basalt] " + MAINTENANCE_TITLE);
        lines.add("[basalt]   node addresses: " + (found.isEmpty() ? "none yet (no network configured)"
                : String.join(", ", found)));
        lines.add("[basalt]   apply a machine config with:");
        lines.add("[basalt]     basaltctl apply-config --insecure --nodes IP --file controlplane.yaml");
        if (!fingerprint.isEmpty()) {
            lines.add("[basalt]   maintenance API certificate fingerprint (SHA-256): " + fingerprint);
            lines.add("[basalt]   or, pinning the certificate:");
            lines.add("[basalt]     basaltctl apply-config --insecure --nodes IP --cert-fingerprint " + fingerprint
                    + " --file controlplane.yaml");
        }
        lines.add(rule);
        banner.accept(lines);
        return "banner shown with " + found.size() + " address(es)";
    }

    /** Non-loopback addresses of interfaces that are up, as {@code ADDRESS (IFNAME)}, IPv4 first. */
    public static List<String> interfaceAddresses() {
        List<String> v4 = new ArrayList<>();
        List<String> v6 = new ArrayList<>();
        try {
            for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
                if (nic.isLoopback() || !nic.isUp()) {
                    continue;
                }
                for (InetAddress address : nic.inetAddresses().toList()) {
                    if (address.isLinkLocalAddress()) {
                        continue;
                    }
                    String text = address.getHostAddress() + " (" + nic.getName() + ")";
                    (address instanceof Inet4Address ? v4 : v6).add(text);
                }
            }
        } catch (SocketException e) {
            return List.of();
        }
        v4.addAll(v6);
        return v4;
    }
}
