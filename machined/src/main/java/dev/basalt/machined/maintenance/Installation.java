package dev.basalt.machined.maintenance;

import dev.basalt.blockd.disks.Disk;
import dev.basalt.machined.api.NodeApiException;
import dev.basalt.machinery.config.MachineConfig;

/**
 * Installing Basalt to the disk an applied config names, for maintenance mode's ApplyConfiguration: everything
 * that can be checked without writing is checked first, synchronously, so that a refusal leaves the disk as it
 * was; the install itself runs in the background and ends in a reboot.
 *
 * <p>Implementations are thread-safe.
 */
public interface Installation {
    /**
     * Checks what the install needs besides the disk (an install source, supported key providers) and refuses
     * with a {@link NodeApiException} naming the problem. Writes nothing.
     */
    void check(MachineConfig config) throws NodeApiException;

    /**
     * Starts installing {@code config} (its text {@code raw}) onto {@code disk} in the background; returns a
     * sentence for the API reply. Refuses while another install runs.
     */
    String start(MachineConfig config, byte[] raw, Disk disk) throws NodeApiException;

    /** For nodes that cannot install (tests, a node without install tooling): every install is refused. */
    Installation NONE = new Installation() {
        @Override
        public void check(MachineConfig config) throws NodeApiException {
            throw new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION,
                    "ApplyConfiguration: this node cannot install to a disk");
        }

        @Override
        public String start(MachineConfig config, byte[] raw, Disk disk) throws NodeApiException {
            check(config);
            return "";
        }
    };
}
