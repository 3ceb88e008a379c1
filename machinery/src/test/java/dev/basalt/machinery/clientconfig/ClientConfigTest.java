package dev.basalt.machinery.clientconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigTest {
    private static final ClientContext DEMO = new ClientContext(List.of("10.5.0.2"), List.of("10.5.0.2"), "Y2E=", "Y3J0", "a2V5");

    @Test
    void pathPrecedenceIsFlagThenEnvironmentThenHome() {
        Path home = Path.of("/home/u");
        assertThat(ClientConfig.resolvePath("/f", Map.of("BASALTCONFIG", "/e"), home)).isEqualTo(Path.of("/f"));
        assertThat(ClientConfig.resolvePath(null, Map.of("BASALTCONFIG", "/e"), home)).isEqualTo(Path.of("/e"));
        assertThat(ClientConfig.resolvePath("", Map.of(), home)).isEqualTo(Path.of("/home/u/.basalt/config"));
    }

    @Test
    void readsTalosconfigLayout() {
        String talosconfig = """
                context: demo
                contexts:
                    demo:
                        endpoints:
                            - 10.5.0.2
                        nodes:
                            - 10.5.0.3
                        ca: Y2E=
                        crt: Y3J0
                        key: a2V5
                """;
        ClientConfig config = ClientConfig.parse(talosconfig, "talosconfig");
        assertThat(config.current()).contains(new ClientContext(List.of("10.5.0.2"), List.of("10.5.0.3"), "Y2E=", "Y3J0", "a2V5"));
        assertThat(ClientConfig.parse(config.toYaml(), "again")).isEqualTo(config);
    }

    @Test
    void mergeRenamesClashingContextsAndSelectsTheMergedOne() {
        ClientConfig mine = ClientConfig.empty().withContext("demo", DEMO).select("demo");
        ClientConfig theirs = ClientConfig.empty().withContext("demo", DEMO.withEndpoints(List.of("10.9.9.9"))).select("demo");
        Map<String, String> renamed = new HashMap<>();
        ClientConfig merged = mine.merge(theirs, renamed);
        assertThat(merged.contexts()).containsOnlyKeys("demo", "demo-1");
        assertThat(merged.context()).isEqualTo("demo-1");
        assertThat(renamed).containsEntry("demo", "demo-1");
    }

    @Test
    void saveIsPrivateAndLoadable(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/config");
        ClientConfig config = ClientConfig.empty().withContext("demo", DEMO).select("demo");
        config.save(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(ClientConfig.load(file)).isEqualTo(config);
    }

    @Test
    void rejectsMalformedFilesClearly(@TempDir Path dir) {
        assertThatThrownBy(() -> ClientConfig.parse("contexts: [1]", "f")).isInstanceOf(ClientConfigException.class)
                .hasMessageContaining("contexts: expected a mapping");
        assertThatThrownBy(() -> ClientConfig.parse("contexts:\n  a:\n    endpoints: x\n", "f"))
                .hasMessageContaining("contexts.a.endpoints");
        assertThatThrownBy(() -> ClientConfig.load(dir.resolve("missing"))).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> ClientConfig.empty().select("nope")).hasMessageContaining("not defined");
    }
}
