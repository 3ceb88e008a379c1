package dev.basalt.machined.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.machined.services.ProcessLauncher;
import dev.basalt.machined.system.SystemConsole;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the container runtime takes its config from USERDATA: refusals name what is wrong, nothing throws past it. */
class ConfiguredNodeConfigTest {
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);

    private ConfiguredNode node(Map<String, String> env) {
        return new ConfiguredNode(new SystemConsole(out), out, ProcessLauncher.DIRECT, new ContainerPlatform(env));
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void emptyUserdataIsRefusedSayingWhatIsExpected() {
        assertThatThrownBy(() -> node(Map.of()).loadConfig()).isInstanceOf(ConfiguredNode.ConfigException.class)
                .hasMessage("USERDATA is empty; expected the machine config, base64-encoded");
    }

    @Test
    void userdataThatIsNotBase64IsRefused() {
        assertThatThrownBy(() -> node(Map.of("USERDATA", "not*base64!")).loadConfig())
                .isInstanceOf(ConfiguredNode.ConfigException.class).hasMessageContaining("USERDATA is not base64");
    }

    @Test
    void anInvalidConfigIsPrintedProblemByProblem() {
        String config = "version: v1alpha1\nmachine:\n  type: controlplane\n  bogusKey: 1\ncluster: {}\n";
        assertThatThrownBy(() -> node(Map.of("USERDATA", b64(config))).loadConfig())
                .isInstanceOf(ConfiguredNode.ConfigException.class)
                .hasMessageContaining("machine config in USERDATA is invalid");
        String printed = console.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("[basalt] machined: the machine config in USERDATA is invalid")
                .contains("bogusKey");
    }

    @Test
    void requestedByEnvironmentOrKernelArgument(@TempDir Path dir) throws Exception {
        Path cmdline = dir.resolve("cmdline");
        Files.writeString(cmdline, "console=ttyS0 basalt.platform=container\n");
        Path plain = dir.resolve("plain");
        Files.writeString(plain, "console=ttyS0\n");
        assertThat(ContainerPlatform.requested(Map.of("PLATFORM", "container"), plain)).isTrue();
        assertThat(ContainerPlatform.requested(Map.of(), cmdline)).isTrue();
        assertThat(ContainerPlatform.requested(Map.of("PLATFORM", "metal"), plain)).isFalse();
        assertThat(ContainerPlatform.requested(Map.of(), dir.resolve("missing"))).isFalse();
    }
}
