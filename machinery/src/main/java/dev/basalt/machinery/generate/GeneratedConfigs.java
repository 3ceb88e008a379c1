package dev.basalt.machinery.generate;

import dev.basalt.machinery.clientconfig.ClientConfig;
import java.util.Map;

/**
 * What {@link ConfigGenerator} produces: the control-plane and worker machine configs as generic YAML trees
 * (ready for patches, then encoding) and the admin client config. The trees are fresh, mutable-by-copy values:
 * callers must not rely on mutating them.
 */
public record GeneratedConfigs(Map<String, Object> controlPlane, Map<String, Object> worker, ClientConfig clientConfig) {
}
