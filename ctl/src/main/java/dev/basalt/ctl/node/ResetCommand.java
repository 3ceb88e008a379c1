package dev.basalt.ctl.node;

import dev.basalt.ctl.cli.Command;
import dev.basalt.ctl.cli.Flag;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.ctl.cli.UsageException;
import dev.basalt.machinery.api.ResetTargets;
import dev.basalt.machinery.api.common.Metadata;
import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import dev.basalt.machinery.api.machine.ResetPartitionSpec;
import dev.basalt.machinery.api.machine.ResetRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code basaltctl reset}: wipes nodes and reboots or powers them off, with talosctl's flags. Every flag value is
 * checked here, by the same rules the node applies ({@link ResetTargets}), so a typo never reaches a node that
 * would otherwise start draining before refusing.
 */
public final class ResetCommand implements Command {
    private static final long DEADLINE_SECONDS = 60;
    private static final List<String> WIPE_MODES = List.of("all", "system-disk", "user-disks");

    @Override
    public String name() {
        return "reset";
    }

    @Override
    public String summary() {
        return "Reset a node";
    }

    @Override
    public List<Flag> flags() {
        return List.of(
                new Flag("graceful", "", Flag.Kind.BOOL, List.of("true"),
                        "if true, attempt to cordon/drain node and leave etcd (if applicable) (default true)"),
                Flag.bool("reboot", "", "if true, reboot the node after resetting instead of shutting down"),
                Flag.slice("system-labels-to-wipe", "", "if set, just wipe selected system disk partitions by "
                        + "label but keep other partitions intact: " + String.join(", ", ResetTargets.SYSTEM_LABELS)),
                Flag.slice("user-disks-to-wipe", "", "if set, wipes defined devices in the list (e.g. /dev/sdb)"),
                Flag.string("wipe-mode", "", "all", "disk reset mode: " + String.join(", ", WIPE_MODES)));
    }

    @Override
    public int run(Invocation inv) {
        inv.requireArgs();
        ResetRequest request = request(inv.bool("graceful"), inv.bool("reboot"), inv.string("wipe-mode"),
                inv.strings("system-labels-to-wipe"), inv.strings("user-disks-to-wipe"));
        try (ApiSession session = ApiSession.open(inv)) {
            List<Metadata> replies = new ArrayList<>();
            session.call(ch -> MachineServiceGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).reset(request))
                    .getMessagesList().forEach(m -> replies.add(m.getMetadata()));
            return MetaCommands.report(inv, session, replies, "reset scheduled");
        }
    }

    /**
     * The request the flags ask for, as talosctl builds it (each label with {@code wipe} set).
     *
     * @throws UsageException naming the flag, the value and what was expected
     */
    static ResetRequest request(boolean graceful, boolean reboot, String wipeMode, List<String> labels,
                                List<String> disks) {
        ResetRequest.WipeMode mode = switch (wipeMode) {
            case "all" -> ResetRequest.WipeMode.ALL;
            case "system-disk" -> ResetRequest.WipeMode.SYSTEM_DISK;
            case "user-disks" -> ResetRequest.WipeMode.USER_DISKS;
            default -> throw new UsageException("--wipe-mode: '" + wipeMode + "' is not one of "
                    + String.join(", ", WIPE_MODES));
        };
        ResetRequest.Builder request = ResetRequest.newBuilder().setGraceful(graceful).setReboot(reboot)
                .setMode(mode);
        for (String label : labels) {
            if (!ResetTargets.isSystemLabel(label)) {
                String upper = label.toUpperCase(Locale.ROOT);
                String hint = ResetTargets.isSystemLabel(upper) ? " (labels are upper case: " + upper + ")" : "";
                throw new UsageException("--system-labels-to-wipe: '" + label + "' cannot be wiped; allowed: "
                        + String.join(", ", ResetTargets.SYSTEM_LABELS) + hint);
            }
            request.addSystemPartitionsToWipe(ResetPartitionSpec.newBuilder().setLabel(label).setWipe(true));
        }
        for (String disk : disks) {
            if (!ResetTargets.isDevicePath(disk)) {
                throw new UsageException("--user-disks-to-wipe: '" + disk + "' is not an absolute device path "
                        + "under /dev (e.g. /dev/sdb)");
            }
            request.addUserDisksToWipe(disk);
        }
        if (mode == ResetRequest.WipeMode.USER_DISKS && !labels.isEmpty()) {
            throw new UsageException("--system-labels-to-wipe cannot be used with --wipe-mode user-disks, "
                    + "which leaves the system disk alone");
        }
        if (mode == ResetRequest.WipeMode.USER_DISKS && disks.isEmpty()) {
            throw new UsageException("--wipe-mode user-disks needs --user-disks-to-wipe");
        }
        if (mode == ResetRequest.WipeMode.SYSTEM_DISK && !disks.isEmpty()) {
            throw new UsageException("--user-disks-to-wipe cannot be used with --wipe-mode system-disk, "
                    + "which leaves user disks alone");
        }
        return request.build();
    }
}
