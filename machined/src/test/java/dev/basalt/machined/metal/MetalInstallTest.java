package dev.basalt.machined.metal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.blockd.luks.KeyProvider;
import dev.basalt.machined.api.NodeApiException;
import dev.basalt.machinery.config.ConfigLoader;
import dev.basalt.machinery.config.LoadResult;
import dev.basalt.machinery.config.MachineConfig;
import dev.basalt.machinery.config.ValidationMode;
import dev.basalt.machinery.config.ConfigYaml;
import dev.basalt.machinery.generate.ConfigGenerator;
import dev.basalt.machinery.generate.GenerateOptions;
import dev.basalt.machinery.secrets.SecretsBundle;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetalInstallTest {
    private static MachineConfig config(String machineExtra) {
        var options = GenerateOptions.builder("metal", URI.create("https://10.0.2.15:6443"), SecretsBundle.generate())
                .installDisk("/dev/vda").build();
        String text = ConfigYaml.encode(new ConfigGenerator().generate(options).controlPlane())
                .replaceFirst("(?m)^machine:\n", "machine:\n" + machineExtra.indent(4).replace("    ", "    "));
        return switch (ConfigLoader.load(text, "test", ValidationMode.METAL, false)) {
            case LoadResult.Loaded l -> l.config();
            case LoadResult.Rejected r -> throw new IllegalStateException(r.errors().toString());
        };
    }

    @Test
    void theInstalledSystemBootsWithTheRunningArgumentsMinusBootLoaderOnesPlusExtras() {
        assertThat(MetalInstall.kernelArgs("BOOT_IMAGE=/boot/vmlinuz console=ttyS0,115200n8 initrd=/x "
                + "basalt.config=http://a/b ip=dhcp", List.of("net.ifnames=0")))
                .isEqualTo("console=ttyS0,115200n8 ip=dhcp net.ifnames=0");
    }

    @Test
    void noEncryptionMeansNoKeys() throws Exception {
        assertThat(MetalInstall.keys(config(""), "state")).isEmpty();
    }

    @Test
    void aStaticKeyBecomesTheInstallKey() throws Exception {
        MachineConfig c = config("""
                systemDiskEncryption:
                  ephemeral:
                    provider: luks2
                    keys:
                      - slot: 2
                        static: {passphrase: secret}
                """);
        var keys = MetalInstall.keys(c, "ephemeral");
        assertThat(keys).hasSize(1);
        assertThat(keys.getFirst().slot()).isEqualTo(2);
        assertThat(keys.getFirst().provider()).isEqualTo(new KeyProvider.Static("secret"));
        assertThat(MetalInstall.keys(c, "state")).isEmpty();
    }

    @Test
    void tpmKeysAreRefusedWithTheFieldPath() {
        MachineConfig c = config("""
                systemDiskEncryption:
                  state:
                    provider: luks2
                    keys:
                      - slot: 0
                        tpm: {}
                """);
        assertThatThrownBy(() -> MetalInstall.keys(c, "state")).isInstanceOf(NodeApiException.class)
                .hasMessageContaining("machine.systemDiskEncryption.state.keys[0].tpm")
                .hasMessageContaining("not supported yet");
    }
}
