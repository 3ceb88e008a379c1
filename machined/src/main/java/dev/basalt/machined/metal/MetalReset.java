package dev.basalt.machined.metal;

import dev.basalt.blockd.boot.SystemVolumes;
import dev.basalt.blockd.device.BlockDevice;
import dev.basalt.machined.api.NodeApiException;
import dev.basalt.machined.api.PowerControl;
import dev.basalt.machined.api.ResetControl;
import dev.basalt.machined.api.ResetPlan;
import dev.basalt.machined.system.Power;
import dev.basalt.machined.system.SystemConsole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Reset of an installed metal node, as Talos does it: after the reply, a graceful reset leaves etcd; then the
 * services stop, the file systems are unmounted and the disks are wiped: the whole system disk (its partition
 * table, so the machine no longer boots from it), or only the partitions named (STATE and EPHEMERAL: the node
 * boots from the disk into maintenance mode; EPHEMERAL is recreated at the next configured boot), plus the user
 * disks asked for; then the node reboots or powers off. Wiping zeroes the start of each partition, which
 * destroys file system superblocks and LUKS2 headers with their key slots (a crypto-erase for encrypted volumes).
 *
 * <p>Thread-safe: one reset at a time.
 */
public final class MetalReset implements ResetControl {
    private final MetalPower power;
    private final Supplier<Optional<SystemVolumes.SystemDisk>> system;
    private final Runnable gracefulLeave;
    private final SystemConsole console;
    private final AtomicBoolean underway = new AtomicBoolean();

    /**
     * @param system        the installed system disk, if the node has one
     * @param gracefulLeave what a graceful reset does first (a control plane leaves etcd)
     */
    public MetalReset(MetalPower power, Supplier<Optional<SystemVolumes.SystemDisk>> system, Runnable gracefulLeave,
                      SystemConsole console) {
        this.power = power;
        this.system = system;
        this.gracefulLeave = gracefulLeave;
        this.console = console;
    }

    @Override
    public PowerControl.Decision reset(ResetPlan plan) throws NodeApiException {
        Optional<SystemVolumes.SystemDisk> disk = system.get();
        if (plan.wipesSystemDisk() && disk.isEmpty()) {
            return new PowerControl.Refused("this node has no installed system disk to wipe");
        }
        for (String user : plan.userDisks()) {
            if (!Files.exists(Path.of(user))) {
                throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT, "Reset: user disk " + user
                        + " does not exist on this node");
            }
            if (disk.isPresent() && disk.get().disk().equals(Path.of(user))) {
                throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT, "Reset: " + user
                        + " is the system disk; wipe it with --wipe-mode system-disk or --system-labels-to-wipe");
            }
        }
        if (!underway.compareAndSet(false, true)) {
            return new PowerControl.Refused("a reset is already under way on this node");
        }
        // Opened now, while every path is there; written once everything is unmounted.
        List<BlockDevice> users = new ArrayList<>();
        BlockDevice systemDevice = null;
        try {
            if (plan.wipesSystemDisk()) {
                systemDevice = BlockDevice.open(disk.orElseThrow().disk());
            }
            if (plan.mode() != ResetPlan.WipeMode.SYSTEM_DISK) {
                for (String user : plan.userDisks()) {
                    users.add(BlockDevice.open(Path.of(user)));
                }
            }
        } catch (IOException e) {
            underway.set(false);
            closeAll(systemDevice, users);
            throw new NodeApiException(NodeApiException.Code.INTERNAL, "Reset: cannot open a disk to wipe: "
                    + e.getMessage());
        }
        BlockDevice systemWrite = systemDevice;
        Runnable leave = plan.graceful() ? () -> {
            try {
                gracefulLeave.run();
            } catch (RuntimeException e) {
                console.failure("reset", "graceful leave failed; resetting anyway", e);
            }
        } : () -> { };
        Runnable wipe = () -> {
            try {
                if (systemWrite != null) {
                    console.line("reset", SystemVolumes.wipe(disk.orElseThrow(), plan.systemLabels(), systemWrite));
                }
                for (BlockDevice user : users) {
                    SystemVolumes.wipeDisk(user);
                    console.line("reset", "wiped user disk " + user.path());
                }
            } catch (IOException e) {
                console.failure("reset", "wiping failed", e);
            } finally {
                closeAll(systemWrite, users);
            }
        };
        return power.schedule(plan.reboot() ? Power.Action.REBOOT : Power.Action.POWER_OFF,
                "reset requested through the API", leave, wipe);
    }

    private static void closeAll(BlockDevice systemDevice, List<BlockDevice> users) {
        List<BlockDevice> all = new ArrayList<>(users);
        if (systemDevice != null) {
            all.add(systemDevice);
        }
        for (BlockDevice d : all) {
            try {
                d.close();
            } catch (Exception e) {
                // closing after a wipe: nothing more to do
            }
        }
    }
}
