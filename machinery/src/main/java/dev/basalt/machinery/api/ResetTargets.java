package dev.basalt.machinery.api;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code machine.MachineService/Reset} may be asked to wipe, shared by the node (which refuses anything
 * else) and basaltctl (which refuses it before sending).
 *
 * <p>Constants and pure functions; thread-safe.
 */
public final class ResetTargets {
    /**
     * System disk partitions a reset may wipe one by one, as Talos allows: the machine config (STATE), the
     * kubelet/containerd/etcd data (EPHEMERAL) and the key-value store (META). The boot partitions are never
     * wiped on their own: without them the node does not boot.
     */
    public static final List<String> SYSTEM_LABELS = List.of("STATE", "EPHEMERAL", "META");

    private ResetTargets() {
    }

    /** Whether {@code label} is one of {@link #SYSTEM_LABELS} (exact, upper case as on disk). */
    public static boolean isSystemLabel(String label) {
        return SYSTEM_LABELS.contains(label);
    }

    /**
     * Whether {@code device} is an absolute, normalized path under {@code /dev} naming something there, such as
     * {@code /dev/sdb} or {@code /dev/disk/by-id/...}; {@code sdb}, {@code /dev/}, {@code /dev/../sda} and
     * {@code /dev/sdb/} are not.
     */
    public static boolean isDevicePath(String device) {
        if (!device.startsWith("/dev/") || device.length() == "/dev/".length() || device.indexOf('\0') >= 0) {
            return false;
        }
        try {
            return Path.of(device).normalize().toString().equals(device);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
