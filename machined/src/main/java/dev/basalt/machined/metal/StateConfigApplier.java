package dev.basalt.machined.metal;

import dev.basalt.machined.api.ClusterOps;
import dev.basalt.machined.api.NodeApiException;
import dev.basalt.machined.api.PowerControl;
import dev.basalt.machined.node.ConfigApplier;
import dev.basalt.machinery.config.MachineConfig;
import dev.basalt.machinery.config.Problem;
import dev.basalt.machinery.config.ValidationMode;
import dev.basalt.machinery.config.apply.ApplyMode;
import dev.basalt.machinery.config.apply.ApplyPlan;
import dev.basalt.machinery.config.apply.ApplyPlanner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * ApplyConfiguration on an installed metal node: the new config is planned against the running one
 * ({@link ApplyPlanner}), then written to STATE (atomically, synced) and, unless staged, the node reboots into it.
 * Basalt applies configuration while booting, so {@code auto} with changes means a reboot, {@code no-reboot} is
 * taken only when nothing changed, and {@code try} is refused. An invalid config or a refused mode changes
 * nothing; a dry run reports the plan and the diff and writes nothing.
 *
 * <p>Thread-safe: applies are serialised.
 */
public final class StateConfigApplier implements ConfigApplier {
    private final Path file;
    private final PowerControl power;
    private MachineConfig current;

    /**
     * @param file    the config on STATE ({@code /system/state/config.yaml})
     * @param current the config the node booted with
     */
    public StateConfigApplier(Path file, MachineConfig current, PowerControl power) {
        this.file = file;
        this.current = current;
        this.power = power;
    }

    @Override
    public synchronized ClusterOps.Applied apply(byte[] config, ClusterOps.ApplyMode mode, boolean dryRun)
            throws NodeApiException {
        if (config.length == 0) {
            throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT,
                    "ApplyConfiguration: data is empty; expected a machine config document");
        }
        ApplyPlan plan = new ApplyPlanner(ValidationMode.METAL).plan(Optional.of(current),
                new String(config, StandardCharsets.UTF_8), "ApplyConfiguration", ApplyMode.valueOf(mode.name()),
                Duration.ofMinutes(1));
        ApplyPlan.Accepted accepted = switch (plan) {
            case ApplyPlan.Rejected rejected -> throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT,
                    "ApplyConfiguration: invalid machine config: " + rejected.problems().stream()
                            .map(Problem::toString).collect(Collectors.joining("; ")));
            case ApplyPlan.Try t -> throw new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION,
                    "ApplyConfiguration: mode try is not supported on metal nodes yet; use --mode reboot or staged");
            case ApplyPlan.Accepted a -> a;
        };
        List<String> warnings = accepted.warnings().stream().map(Problem::toString).toList();
        boolean changed = !accepted.changedPaths().isEmpty();
        Action action = switch (accepted) {
            case ApplyPlan.Stage s -> Action.STAGE;
            case ApplyPlan.ApplyNow n when !changed -> Action.NOTHING;
            case ApplyPlan.ApplyNow n when mode == ClusterOps.ApplyMode.NO_REBOOT -> throw new NodeApiException(
                    NodeApiException.Code.FAILED_PRECONDITION, "ApplyConfiguration: " + accepted.changedPaths()
                            + " changed, and a metal node takes config changes when it boots; use --mode auto, reboot"
                            + " or staged");
            default -> Action.REBOOT;
        };
        String details = switch (action) {
            case NOTHING -> "Applied configuration without a reboot (no changes)";
            case STAGE -> "Staged configuration to be applied after the next reboot";
            case REBOOT -> "Applied configuration with a reboot"
                    + (changed ? ": " + String.join(", ", accepted.changedPaths()) + " changed" : "");
        };
        ClusterOps.ApplyMode reported = switch (action) {
            case NOTHING -> ClusterOps.ApplyMode.NO_REBOOT;
            case STAGE -> ClusterOps.ApplyMode.STAGED;
            case REBOOT -> ClusterOps.ApplyMode.REBOOT;
        };
        if (dryRun) {
            return new ClusterOps.Applied(reported, "Dry run summary:\n" + details + "\n\nConfig diff:\n"
                    + (accepted.diff().isEmpty() ? "No changes.\n" : accepted.diff()), warnings);
        }
        if (action == Action.NOTHING) {
            return new ClusterOps.Applied(reported, details, warnings);
        }
        try {
            write(config);
        } catch (IOException e) {
            throw new NodeApiException(NodeApiException.Code.INTERNAL, "ApplyConfiguration: cannot write " + file
                    + ": " + e.getMessage() + "; the node keeps its config");
        }
        current = accepted.config();
        if (action == Action.REBOOT && power.reboot(false) instanceof PowerControl.Refused refused) {
            return new ClusterOps.Applied(ClusterOps.ApplyMode.STAGED, "Stored configuration, but the reboot was"
                    + " refused (" + refused.reason() + "); it takes effect at the next boot", warnings);
        }
        return new ClusterOps.Applied(reported, details, warnings);
    }

    private enum Action { NOTHING, STAGE, REBOOT }

    /** Writes the config next to the old one, syncs it and renames it into place: a power cut keeps one of them. */
    private void write(byte[] config) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        try (FileChannel ch = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(config);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
