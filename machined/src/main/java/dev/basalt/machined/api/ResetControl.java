package dev.basalt.machined.api;

/**
 * Talos' reset: wipe the node's disks as a {@link ResetPlan} says, then reboot or power off. {@link MachineApi}
 * checks the request (labels, device paths, mode) before calling; an implementation checks what only the node
 * knows (that there is a system disk, that the user disks exist and are not the system disk, that no other
 * reset or upgrade is running) and refuses through {@link PowerControl.Refused} or {@link NodeApiException}.
 * Like a reboot, the work itself starts after the reply has gone out.
 *
 * <p>Implementations must be thread-safe.
 */
public interface ResetControl {
    /**
     * Schedules the reset.
     *
     * @return {@link PowerControl.Scheduled} with the actor id events will carry, or
     *         {@link PowerControl.Refused} whose reason is shown to the caller as it is (a whole sentence)
     * @throws NodeApiException for a plan this node cannot carry out, with the code the caller should see
     *                          (INVALID_ARGUMENT for a user disk that is missing or is the system disk)
     */
    PowerControl.Decision reset(ResetPlan plan) throws NodeApiException;

    /** A node that cannot wipe itself: a container or an ordinary process, as Talos refuses in a container. */
    ResetControl NONE = new ResetControl() {
        @Override
        public PowerControl.Decision reset(ResetPlan plan) {
            return new PowerControl.Refused("reset is not supported on this node");
        }

        @Override
        public String toString() {
            return "ResetControl.NONE";
        }
    };
}
