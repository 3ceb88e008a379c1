package dev.basalt.machined.metal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.machined.api.ClusterOps;
import dev.basalt.machined.api.NodeApiException;
import dev.basalt.machined.api.PowerControl;
import dev.basalt.machinery.config.ConfigLoader;
import dev.basalt.machinery.config.ConfigYaml;
import dev.basalt.machinery.config.LoadResult;
import dev.basalt.machinery.config.MachineConfig;
import dev.basalt.machinery.config.ValidationMode;
import dev.basalt.machinery.generate.ConfigGenerator;
import dev.basalt.machinery.generate.GenerateOptions;
import dev.basalt.machinery.secrets.SecretsBundle;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateConfigApplierTest {
    @TempDir
    Path dir;

    private final AtomicInteger reboots = new AtomicInteger();
    private final PowerControl power = new PowerControl() {
        @Override
        public Decision reboot(boolean powercycle) {
            reboots.incrementAndGet();
            return new Scheduled("actor");
        }

        @Override
        public Decision shutdown(boolean force) {
            return new Refused("not in this test");
        }
    };

    private java.util.Map<String, Object> tree;
    private String original;
    private Path file;
    private StateConfigApplier applier;

    @BeforeEach
    void setUp() throws Exception {
        var options = GenerateOptions.builder("metal", URI.create("https://10.0.2.15:6443"), SecretsBundle.generate())
                .installDisk("/dev/vda").build();
        tree = new ConfigGenerator().generate(options).controlPlane();
        original = ConfigYaml.encode(tree);
        file = dir.resolve("config.yaml");
        Files.writeString(file, original);
        MachineConfig current = switch (ConfigLoader.load(original, "test", ValidationMode.METAL, false)) {
            case LoadResult.Loaded l -> l.config();
            case LoadResult.Rejected r -> throw new IllegalStateException(r.errors().toString());
        };
        applier = new StateConfigApplier(file, current, power);
    }

    private byte[] withHostname(String name) {
        var patch = ((dev.basalt.machinery.config.patch.PatchParseResult.Parsed) dev.basalt.machinery.config.patch.Patch
                .parse("machine:\n  network:\n    hostname: " + name + "\n", "patch")).patch();
        var applied = (dev.basalt.machinery.config.patch.PatchResult.Applied) dev.basalt.machinery.config.patch.Patch
                .applyAll(tree, java.util.List.of(patch));
        return ConfigYaml.encode(applied.tree()).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void autoWithAChangeStoresTheConfigAndReboots() throws Exception {
        ClusterOps.Applied applied = applier.apply(withHostname("cp-1"), ClusterOps.ApplyMode.AUTO, false);
        assertThat(applied.mode()).isEqualTo(ClusterOps.ApplyMode.REBOOT);
        assertThat(applied.details()).contains("machine.network");
        assertThat(Files.readString(file)).contains("hostname: cp-1");
        assertThat(reboots).hasValue(1);
    }

    @Test
    void stagedStoresWithoutRebooting() throws Exception {
        ClusterOps.Applied applied = applier.apply(withHostname("cp-2"), ClusterOps.ApplyMode.STAGED, false);
        assertThat(applied.mode()).isEqualTo(ClusterOps.ApplyMode.STAGED);
        assertThat(Files.readString(file)).contains("hostname: cp-2");
        assertThat(reboots).hasValue(0);
    }

    @Test
    void theSameConfigWithNoRebootChangesNothing() throws Exception {
        ClusterOps.Applied applied = applier.apply(original.getBytes(StandardCharsets.UTF_8),
                ClusterOps.ApplyMode.NO_REBOOT, false);
        assertThat(applied.details()).contains("no changes");
        assertThat(reboots).hasValue(0);
    }

    @Test
    void refusalsAndDryRunsLeaveTheStoredConfigAlone() throws Exception {
        assertThatThrownBy(() -> applier.apply(withHostname("cp-3"), ClusterOps.ApplyMode.NO_REBOOT, false))
                .isInstanceOf(NodeApiException.class).hasMessageContaining("takes config changes when it boots");
        assertThatThrownBy(() -> applier.apply(withHostname("cp-3"), ClusterOps.ApplyMode.TRY, false))
                .isInstanceOf(NodeApiException.class).hasMessageContaining("try is not supported");
        assertThatThrownBy(() -> applier.apply("version: v1alpha1\nmachine: {type: nonsense}\n"
                .getBytes(StandardCharsets.UTF_8), ClusterOps.ApplyMode.AUTO, false))
                .isInstanceOf(NodeApiException.class).hasMessageContaining("invalid machine config");
        ClusterOps.Applied dry = applier.apply(withHostname("cp-4"), ClusterOps.ApplyMode.AUTO, true);
        assertThat(dry.details()).contains("Dry run").contains("+").contains("hostname: cp-4");
        assertThat(Files.readString(file)).isEqualTo(original);
        assertThat(reboots).hasValue(0);
    }
}
