package dev.basalt.machined.api;

import java.util.List;
import java.util.Objects;

/**
 * One reset as the node API accepted it: what to wipe and what to do afterwards. {@link MachineApi} builds it
 * only from a request that passed its checks, so an implementation may rely on the invariants below.
 *
 * @param graceful     cordon and drain the node and leave etcd (with etcd's own checks) before wiping
 * @param reboot       reboot when done; otherwise power off
 * @param systemLabels system disk partitions to wipe, each one of
 *                     {@link dev.basalt.machinery.api.ResetTargets#SYSTEM_LABELS}, no duplicates; empty means
 *                     the whole system disk (when {@code mode} touches the system disk at all)
 * @param userDisks    other block devices to wipe, absolute {@code /dev} paths, no duplicates; never the system
 *                     disk (the implementation checks that, it alone knows which disk that is)
 * @param mode         which of the two the reset touches
 */
public record ResetPlan(boolean graceful, boolean reboot, List<String> systemLabels, List<String> userDisks,
                        WipeMode mode) {
    /** Which devices a reset wipes; Talos' {@code ResetRequest.WipeMode}. */
    public enum WipeMode {
        /** The system disk (all of it, or {@code systemLabels}) and {@code userDisks}. */
        ALL,
        /** The system disk only; {@code userDisks} is empty. */
        SYSTEM_DISK,
        /** {@code userDisks} only; {@code systemLabels} is empty. */
        USER_DISKS
    }

    public ResetPlan {
        systemLabels = List.copyOf(systemLabels);
        userDisks = List.copyOf(userDisks);
        Objects.requireNonNull(mode, "mode");
    }

    /** Whether any part of the system disk is wiped. */
    public boolean wipesSystemDisk() {
        return mode != WipeMode.USER_DISKS;
    }

    /** Whether the system disk is wiped entirely (its partition table included) rather than by label. */
    public boolean wipesWholeSystemDisk() {
        return wipesSystemDisk() && systemLabels.isEmpty();
    }
}
