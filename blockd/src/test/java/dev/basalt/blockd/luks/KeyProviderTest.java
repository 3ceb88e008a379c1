package dev.basalt.blockd.luks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyProviderTest {
    @TempDir
    Path dir;

    @Test
    void nodeIdKeyIsHexSha256OfUuidAndLabelAndDiffersPerPartition() throws Exception {
        Path uuid = Files.writeString(dir.resolve("product_uuid"), "4C4C4544-0042-3510-8050-B4C04F4E3332\n");
        KeyProvider.NodeId p = new KeyProvider.NodeId(uuid);
        byte[] expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("4c4c4544-0042-3510-8050-b4c04f4e3332:STATE".getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(p.key("STATE")).isEqualTo(expected);
        assertThat(p.key("EPHEMERAL")).isNotEqualTo(p.key("STATE"));
    }

    @Test
    void nodeIdRefusesMissingGarbageAndPlaceholderUuids() throws IOException {
        assertThatThrownBy(() -> new KeyProvider.NodeId(dir.resolve("none")).key("STATE"))
                .hasMessageContaining("is not readable");
        Path garbage = Files.writeString(dir.resolve("g"), "not-a-uuid");
        assertThatThrownBy(() -> new KeyProvider.NodeId(garbage).key("STATE"))
                .hasMessageContaining("'not-a-uuid'");
        Path zero = Files.writeString(dir.resolve("z"), "00000000-0000-0000-0000-000000000000");
        assertThatThrownBy(() -> new KeyProvider.NodeId(zero).key("STATE")).hasMessageContaining("placeholder");
    }

    @Test
    void staticPassphraseNeverPrints() {
        assertThat(new KeyProvider.Static("hunter2").toString()).doesNotContain("hunter2");
        assertThatThrownBy(() -> new KeyProvider.Static("")).hasMessageContaining("must not be empty");
    }
}
