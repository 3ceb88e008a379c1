package dev.basalt.machined.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.blockd.disks.Disk;
import dev.basalt.blockd.disks.Transport;
import dev.basalt.machined.api.ClusterOps;
import dev.basalt.machined.api.NodeApiException;
import dev.basalt.machinery.config.ConfigYaml;
import dev.basalt.machinery.config.MachineConfig;
import dev.basalt.machinery.generate.ConfigGenerator;
import dev.basalt.machinery.generate.GenerateOptions;
import dev.basalt.machinery.secrets.SecretsBundle;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ApplyConfiguration in maintenance mode hands a valid config with a fitting disk to the installation. */
class MaintenanceConfigsTest {
    private static final List<Disk> DISKS = List.of(new Disk("vda", Path.of("/dev/vda"), "253:0", 10L << 30, 512,
            "", "", "", Transport.VIRTIO, false, false, false, false));

    @TempDir
    Path dir;

    private final List<String> calls = new ArrayList<>();
    private String refuseWith = "";

    private final Installation installation = new Installation() {
        @Override
        public void check(MachineConfig config) throws NodeApiException {
            calls.add("check");
            if (!refuseWith.isEmpty()) {
                throw new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION, refuseWith);
            }
        }

        @Override
        public String start(MachineConfig config, byte[] raw, Disk disk) {
            calls.add("start " + disk.devPath());
            return "installing to " + disk.devPath();
        }
    };

    private static byte[] config(String disk) {
        var options = GenerateOptions.builder("metal", URI.create("https://10.0.2.15:6443"), SecretsBundle.generate())
                .installDisk(disk).build();
        return ConfigYaml.encode(new ConfigGenerator().generate(options).controlPlane()).getBytes(StandardCharsets.UTF_8);
    }

    private MaintenanceConfigs configs() {
        return new MaintenanceConfigs(() -> DISKS, dir.resolve("state/config.yaml"), installation);
    }

    @Test
    void aValidConfigWithAFittingDiskIsCheckedThenInstalled() throws Exception {
        ClusterOps.Applied applied = configs().apply(config("/dev/vda"), ClusterOps.ApplyMode.AUTO, false);
        assertThat(calls).containsExactly("check", "start /dev/vda");
        assertThat(applied.details()).contains("installing to /dev/vda");
    }

    @Test
    void aDryRunChecksButDoesNotInstall() throws Exception {
        ClusterOps.Applied applied = configs().apply(config("/dev/vda"), ClusterOps.ApplyMode.AUTO, true);
        assertThat(calls).containsExactly("check");
        assertThat(applied.details()).contains("dry run");
        assertThat(dir.resolve("state/config.yaml")).doesNotExist();
    }

    @Test
    void aRefusedCheckWritesNothingAndDoesNotInstall() {
        refuseWith = "ApplyConfiguration: no install source";
        assertThatThrownBy(() -> configs().apply(config("/dev/vda"), ClusterOps.ApplyMode.AUTO, false))
                .isInstanceOf(NodeApiException.class).hasMessageContaining("no install source");
        assertThat(calls).containsExactly("check");
        assertThat(Files.exists(dir.resolve("state/config.yaml"))).isFalse();
    }

    @Test
    void aMissingDiskIsRefusedBeforeTheInstallationIsAsked() {
        assertThatThrownBy(() -> configs().apply(config("/dev/sdz"), ClusterOps.ApplyMode.AUTO, false))
                .isInstanceOf(NodeApiException.class).hasMessageContaining("/dev/sdz does not exist");
        assertThat(calls).isEmpty();
    }
}
