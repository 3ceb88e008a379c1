package dev.basalt.machined.node;

import dev.basalt.machined.api.ClusterOps;
import dev.basalt.machined.api.MetaAccess;
import dev.basalt.machined.api.ResetControl;
import dev.basalt.machined.api.PowerControl;
import dev.basalt.machinery.config.MachineConfig;
import dev.basalt.machinery.config.ValidationMode;
import java.io.IOException;

/**
 * What differs between the platforms a configured node runs on: where the config comes from and how it is
 * validated, what must happen before the services start (a metal node mounts EPHEMERAL and starts networkd; in a
 * container Docker has done both), how reboot and shutdown work, and how containerd is configured.
 *
 * <p>Implementations are called from the boot sequence's thread, in order: {@link #config}, {@link #prepare},
 * then {@link #power} once.
 */
public interface NodePlatform {
    /** The platform name the Version RPC reports: {@code container} or {@code metal}. */
    String name();

    ValidationMode validationMode();

    /** The machine config's text and a short name for where it came from, for messages. */
    ConfigText config() throws ConfiguredNode.ConfigException;

    /** Readies the machine for the services; returns what was done, for the task log. */
    String prepare(MachineConfig config) throws IOException;

    /** Reboot and shutdown for the machine API; {@code orderlyStop} stops the services and the API. */
    PowerControl power(Runnable orderlyStop);

    /** Whether containerd runs inside a container (no cgroup or snapshotter setup of its own). */
    boolean containerdInContainer();

    /** What ApplyConfiguration does on this node, which booted with {@code current}. */
    ConfigApplier configApplier(MachineConfig current, String hostname);

    /** Reset of this node; {@code ops} is the node's etcd membership (a graceful reset leaves first). */
    ResetControl resetControl(ClusterOps ops);

    /** META of the installed system disk; {@link MetaAccess#NONE} where there is none. */
    MetaAccess meta();

    /** A machine config as read, before parsing. */
    record ConfigText(String text, String source) {
    }
}
