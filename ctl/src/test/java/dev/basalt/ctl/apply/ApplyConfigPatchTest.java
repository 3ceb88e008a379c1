package dev.basalt.ctl.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.ctl.CtlRunner;
import dev.basalt.ctl.FakeMaintenanceNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyConfigPatchTest {
    private static final String CONFIG = """
            version: v1alpha1
            machine:
              type: worker
              token: abc.0123456789abcdef
              network:
                hostname: before
            cluster:
              controlPlane:
                endpoint: https://10.5.0.2:6443
            """;

    @TempDir
    Path dir;

    private Path config() throws Exception {
        Path file = dir.resolve("worker.yaml");
        Files.writeString(file, CONFIG);
        return file;
    }

    private static String sent(FakeMaintenanceNode node) {
        return node.applied.getFirst().getData().toString(StandardCharsets.UTF_8);
    }

    @Test
    void patchesFromFilesAndInlineAreAppliedInOrderBeforeSending() throws Exception {
        Path file = config();
        Files.writeString(dir.resolve("host.yaml"), "machine:\n  network:\n    hostname: from-file\n");
        try (FakeMaintenanceNode node = new FakeMaintenanceNode()) {
            CtlRunner.Result r = new CtlRunner(dir).run("-i", "-n", node.endpoint(), "apply-config", "--file",
                    file.toString(), "--config-patch", "@host.yaml", "-p",
                    "[{\"op\":\"add\",\"path\":\"/machine/network/nameservers\",\"value\":[\"10.0.0.53\"]}]");
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out()).contains("fake-node: Applied configuration with mode auto: recorded");
            assertThat(node.applied).hasSize(1);
            assertThat(sent(node)).contains("hostname: from-file").doesNotContain("before").contains("10.0.0.53")
                    .contains("token: abc.0123456789abcdef");
        }
    }

    @Test
    void withoutPatchesTheFileIsSentByteForByte() throws Exception {
        Path file = config();
        try (FakeMaintenanceNode node = new FakeMaintenanceNode()) {
            CtlRunner.Result r = new CtlRunner(dir).run("-i", "-n", node.endpoint(), "apply-config", "-f",
                    file.toString());
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(sent(node)).isEqualTo(CONFIG);
        }
    }

    @Test
    void aBadPatchIsAClearErrorAndNothingIsSent() throws Exception {
        Path file = config();
        try (FakeMaintenanceNode node = new FakeMaintenanceNode()) {
            CtlRunner ctl = new CtlRunner(dir);
            CtlRunner.Result unparsable = ctl.run("-i", "-n", node.endpoint(), "apply-config", "-f", file.toString(),
                    "--config-patch", "[{\"op\":\"frobnicate\",\"path\":\"/machine\"}]");
            assertThat(unparsable.status()).isNotZero();
            assertThat(unparsable.err()).contains("invalid patch").contains("--config-patch #1");

            CtlRunner.Result missingFile = ctl.run("-i", "-n", node.endpoint(), "apply-config", "-f",
                    file.toString(), "-p", "@nope.yaml");
            assertThat(missingFile.status()).isNotZero();
            assertThat(missingFile.err()).contains("--config-patch @nope.yaml").contains("does not exist");

            CtlRunner.Result failing = ctl.run("-i", "-n", node.endpoint(), "apply-config", "-f", file.toString(),
                    "-p", "[{\"op\":\"remove\",\"path\":\"/machine/nothing/here\"}]");
            assertThat(failing.status()).isNotZero();
            assertThat(failing.err()).contains("cannot patch --file").contains("nothing was sent");

            assertThat(node.applied).isEmpty();
        }
    }
}
