package dev.basalt.blockd.luks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.machinery.exec.Command;
import dev.basalt.machinery.exec.Result;
import dev.basalt.machinery.exec.ScriptedExec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeEncryptionTest {
    @TempDir
    Path dir;

    @Test
    void formatPassesKeyOnStdinAndRecordsAToken() throws IOException {
        ScriptedExec exec = new ScriptedExec().on("cryptsetup", Result.ok(""));
        new VolumeEncryption(new Luks(exec)).format(Path.of("/dev/vda5"), "STATE",
                List.of(new VolumeEncryption.SlotKey(0, new KeyProvider.Static("s3cret"))), LuksOptions.defaults());
        List<Command> calls = exec.calls();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).args()).startsWith("luksFormat", "--type", "luks2").contains("--key-file", "-")
                .endsWith("/dev/vda5").doesNotContain("s3cret");
        assertThat(new String(calls.get(0).stdin(), StandardCharsets.UTF_8)).isEqualTo("s3cret");
        assertThat(calls.get(1).args()).containsExactly("token", "import", "--json-file", "-", "/dev/vda5");
        assertThat(new String(calls.get(1).stdin(), StandardCharsets.UTF_8)).isEqualTo(new KeyToken(0, "static").toJson());
    }

    @Test
    void unlockTriesTokensInOrderAndReportsEachFailure() throws IOException {
        Path uuid = Files.writeString(dir.resolve("product_uuid"), "11111111-2222-3333-4444-555555555555");
        KeyProvider.NodeId nodeId = new KeyProvider.NodeId(uuid);
        String dump = "{\"tokens\":{\"0\":" + new KeyToken(0, "static").toJson() + ",\"1\":"
                + new KeyToken(1, "nodeID").toJson() + "}}";
        byte[] nodeKey = nodeId.key("EPHEMERAL");
        ScriptedExec exec = new ScriptedExec()
                .on(c -> c.args().contains("luksDump"), Result.ok(dump))
                .on(c -> c.args().getFirst().equals("open"), c -> java.util.Arrays.equals(c.stdin(), nodeKey)
                        ? Result.ok("") : Result.failed(2, "No key available with this passphrase."));
        VolumeEncryption enc = new VolumeEncryption(new Luks(exec));
        assertThat(enc.unlock(Path.of("/dev/vda6"), "EPHEMERAL", "ephemeral", nodeId,
                Map.of(0, new KeyProvider.Static("wrong")))).isEqualTo(Path.of("/dev/mapper/ephemeral"));

        Path other = Files.writeString(dir.resolve("other"), "99999999-2222-3333-4444-555555555555");
        assertThatThrownBy(() -> enc.unlock(Path.of("/dev/vda6"), "EPHEMERAL", "ephemeral",
                new KeyProvider.NodeId(other), Map.of()))
                .hasMessageContaining("could not unlock /dev/vda6 (EPHEMERAL)")
                .hasMessageContaining("slot 0 (static): no passphrase known")
                .hasMessageContaining("slot 1 (nodeID)").hasMessageContaining("No key available");
    }

    @Test
    void moreThanOneKeyIsRejectedBeforeTouchingTheDisk() {
        ScriptedExec exec = new ScriptedExec();
        assertThatThrownBy(() -> new VolumeEncryption(new Luks(exec)).format(Path.of("/dev/x"), "STATE",
                List.of(new VolumeEncryption.SlotKey(0, new KeyProvider.Static("a")),
                        new VolumeEncryption.SlotKey(1, new KeyProvider.Static("b"))), LuksOptions.defaults()))
                .hasMessageContaining("lists 2 keys");
        assertThat(exec.calls()).isEmpty();
    }
}
