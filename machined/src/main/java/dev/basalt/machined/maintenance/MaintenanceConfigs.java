package dev.basalt.machined.maintenance;

import dev.basalt.blockd.disks.Disk;
import dev.basalt.blockd.layout.SystemLayout;
import dev.basalt.machined.api.ClusterOps;
import dev.basalt.machined.api.NodeApiException;
import dev.basalt.machined.api.UnconfiguredNode;
import dev.basalt.machinery.config.ConfigLoader;
import dev.basalt.machinery.config.LoadResult;
import dev.basalt.machinery.config.MachineConfig;
import dev.basalt.machinery.config.Problem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * ApplyConfiguration of a node in maintenance mode: the config is validated (schema and semantics), its
 * {@code machine.install.disk} is checked against the disks the kernel sees (it must exist, be writable and be
 * large enough for the system layout) and the {@link Installation} checks what else the install needs (an install
 * source, supported encryption keys). Anything wrong is refused with INVALID_ARGUMENT (the config) or
 * FAILED_PRECONDITION (the disk, the node), naming the problem, and nothing is written. A dry run reports what
 * would happen and writes nothing. Otherwise the config is stored and the install starts in the background; it
 * ends in a reboot into the installed system. The etcd and Kubernetes operations answer as an unconfigured node.
 *
 * <p>Thread-safe: applies are serialised.
 */
public final class MaintenanceConfigs implements ClusterOps {
    private final UnconfiguredNode unconfigured = new UnconfiguredNode();
    private final Supplier<List<Disk>> disks;
    private final Path stored;
    private final Installation installation;

    /**
     * A node that stores the config but cannot install ({@link Installation#NONE}).
     *
     * @param disks  the disks the kernel sees now
     * @param stored where an accepted config is written
     */
    public MaintenanceConfigs(Supplier<List<Disk>> disks, Path stored) {
        this(disks, stored, Installation.NONE);
    }

    /**
     * @param installation installs to {@code machine.install.disk} when the config names one
     */
    public MaintenanceConfigs(Supplier<List<Disk>> disks, Path stored, Installation installation) {
        this.disks = disks;
        this.stored = stored;
        this.installation = installation;
    }

    @Override
    public synchronized Applied apply(byte[] config, ApplyMode mode, boolean dryRun) throws NodeApiException {
        if (config.length == 0) {
            throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT,
                    "ApplyConfiguration: data is empty; expected a machine config document");
        }
        if (mode == ApplyMode.STAGED || mode == ApplyMode.TRY) {
            throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT, "ApplyConfiguration: mode "
                    + mode.name().toLowerCase() + " is not possible in maintenance mode; expected auto, reboot or"
                    + " no-reboot");
        }
        String text = new String(config, StandardCharsets.UTF_8);
        MachineConfig parsed = switch (ConfigLoader.load(text, "ApplyConfiguration")) {
            case LoadResult.Rejected rejected -> throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT,
                    "ApplyConfiguration: invalid machine config: " + rejected.errors().stream()
                            .map(Problem::toString).collect(Collectors.joining("; ")));
            case LoadResult.Loaded loaded -> loaded.config();
        };
        Optional<String> installDisk = parsed.machine().install().disk();
        String diskNote = "";
        Disk disk = null;
        if (installDisk.isPresent()) {
            disk = requireInstallDisk(installDisk.get());
            if (installation != Installation.NONE) {
                installation.check(parsed);
            }
            diskNote = "; install disk " + disk.devPath() + " (" + disk.sizeBytes() / SystemLayout.MIB + " MiB) fits";
        }
        if (dryRun) {
            return new Applied(mode, "dry run: the config is valid" + diskNote + "; it would be stored at " + stored
                    + "; nothing was changed", List.of());
        }
        try {
            Files.createDirectories(stored.getParent());
            Path temporary = stored.resolveSibling(stored.getFileName() + ".new");
            Files.write(temporary, config);
            Files.move(temporary, stored, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new NodeApiException(NodeApiException.Code.INTERNAL, "ApplyConfiguration: cannot store the config at "
                    + stored + ": " + e.getMessage());
        }
        if (disk != null && installation != Installation.NONE) {
            return new Applied(mode, "config validated" + diskNote + "; " + installation.start(parsed, config, disk),
                    List.of());
        }
        return new Applied(mode, "config validated and stored at " + stored + diskNote, List.of());
    }

    private Disk requireInstallDisk(String path) throws NodeApiException {
        List<Disk> present = disks.get();
        Disk disk = present.stream().filter(d -> d.devPath().toString().equals(path)).findFirst()
                .orElseThrow(() -> new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION,
                        "ApplyConfiguration: machine.install.disk " + path + " does not exist on this node; disks: "
                                + present.stream().map(d -> d.devPath() + " (" + d.sizeBytes() / SystemLayout.MIB
                                        + " MiB)").collect(Collectors.joining(", "))));
        long minimum = SystemLayout.minimumDiskBytes(disk.sectorSize());
        if (disk.sizeBytes() < minimum) {
            throw new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION, "ApplyConfiguration:"
                    + " machine.install.disk " + path + " is too small: " + disk.sizeBytes() / SystemLayout.MIB
                    + " MiB, expected at least " + minimum / SystemLayout.MIB + " MiB");
        }
        if (disk.readOnly()) {
            throw new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION, "ApplyConfiguration:"
                    + " machine.install.disk " + path + " is read-only; expected a writable disk");
        }
        return disk;
    }

    @Override
    public void bootstrap() throws NodeApiException {
        unconfigured.bootstrap();
    }

    @Override
    public List<Member> etcdMembers(boolean queryLocal) throws NodeApiException {
        return unconfigured.etcdMembers(queryLocal);
    }

    @Override
    public void etcdRemoveMember(String hostname) throws NodeApiException {
        unconfigured.etcdRemoveMember(hostname);
    }

    @Override
    public void etcdRemoveMemberById(long id) throws NodeApiException {
        unconfigured.etcdRemoveMemberById(id);
    }

    @Override
    public void etcdLeave() throws NodeApiException {
        unconfigured.etcdLeave();
    }

    @Override
    public long etcdSnapshot(OutputStream out) throws NodeApiException {
        return unconfigured.etcdSnapshot(out);
    }

    @Override
    public MemberStatus etcdStatus() throws NodeApiException {
        return unconfigured.etcdStatus();
    }

    @Override
    public byte[] kubeconfig() throws NodeApiException {
        return unconfigured.kubeconfig();
    }
}
