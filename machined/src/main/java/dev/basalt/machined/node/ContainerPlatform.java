package dev.basalt.machined.node;

import dev.basalt.machined.api.ClusterOps;
import dev.basalt.machined.api.MetaAccess;
import dev.basalt.machined.api.ResetControl;
import dev.basalt.machined.api.PowerControl;
import dev.basalt.machinery.config.MachineConfig;
import dev.basalt.machinery.config.ValidationMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * A node in a Docker container ({@code PLATFORM=container}, or {@code basalt.platform=container} on the kernel
 * command line): the config is base64 in {@code USERDATA}, Docker provides the network, hostname and /var, and
 * shutdown ends the container.
 *
 * <p>Immutable; thread-safe.
 */
public final class ContainerPlatform implements NodePlatform {
    private final Map<String, String> env;

    public ContainerPlatform(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** Whether machined should run as a container node: {@code PLATFORM=container} or the kernel argument. */
    public static boolean requested(Map<String, String> env, Path procCmdline) {
        if ("container".equalsIgnoreCase(env.getOrDefault("PLATFORM", "").strip())) {
            return true;
        }
        try {
            for (String word : Files.readString(procCmdline).strip().split("\\s+")) {
                if (word.equals("basalt.platform=container")) {
                    return true;
                }
            }
        } catch (IOException e) {
            // no command line to read: not requested that way
        }
        return false;
    }

    @Override
    public String name() {
        return "container";
    }

    @Override
    public ValidationMode validationMode() {
        return ValidationMode.CONTAINER;
    }

    @Override
    public ConfigText config() throws ConfiguredNode.ConfigException {
        String userdata = env.getOrDefault("USERDATA", "");
        if (userdata.isBlank()) {
            throw new ConfiguredNode.ConfigException("USERDATA is empty; expected the machine config, base64-encoded");
        }
        try {
            return new ConfigText(new String(Base64.getMimeDecoder().decode(userdata.strip()), StandardCharsets.UTF_8),
                    "USERDATA");
        } catch (IllegalArgumentException e) {
            throw new ConfiguredNode.ConfigException("USERDATA is not base64 (" + e.getMessage()
                    + "); expected the machine config, base64-encoded");
        }
    }

    @Override
    public String prepare(MachineConfig config) {
        return "nothing to prepare: the container runtime provides the network and /var";
    }

    @Override
    public PowerControl power(Runnable orderlyStop) {
        return new ContainerPower(orderlyStop, Duration.ofMillis(300));
    }

    @Override
    public ConfigApplier configApplier(MachineConfig current, String hostname) {
        return NodeClusterOps.containerApplier(hostname);
    }

    @Override
    public ResetControl resetControl(ClusterOps ops) {
        return ResetControl.NONE;
    }

    @Override
    public MetaAccess meta() {
        return MetaAccess.NONE;
    }

    @Override
    public boolean containerdInContainer() {
        return true;
    }
}
