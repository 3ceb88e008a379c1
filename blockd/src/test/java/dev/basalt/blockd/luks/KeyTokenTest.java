package dev.basalt.blockd.luks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

class KeyTokenTest {
    @Property
    void jsonRoundTrips(@ForAll @IntRange(min = 0, max = 31) int slot, @ForAll boolean nodeId) {
        KeyToken token = new KeyToken(slot, nodeId ? "nodeID" : "static");
        Map<?, ?> parsed = (Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(token.toJson());
        assertThat(KeyToken.fromJson(parsed)).hasValue(token);
        assertThat(parsed.get("keyslots")).isEqualTo(java.util.List.of(String.valueOf(slot)));
    }

    @Test
    void readsOurTokensFromLuksDumpMetadataAndIgnoresOthers() {
        String json = """
                {"keyslots":{"0":{"type":"luks2"}},
                 "tokens":{
                   "1":{"type":"basalt-key","keyslots":["1"],"slot":1,"provider":"static"},
                   "0":{"type":"basalt-key","keyslots":["0"],"slot":0,"provider":"nodeID"},
                   "2":{"type":"systemd-tpm2","keyslots":["2"]},
                   "3":{"type":"basalt-key","keyslots":["3"],"slot":3,"provider":"kms"}},
                 "segments":{},"digests":{},"config":{}}
                """;
        assertThat(KeyToken.fromMetadata(json)).containsExactly(new KeyToken(0, "nodeID"), new KeyToken(1, "static"));
    }

    @Test
    void rejectsSlotAndProviderOutOfRange() {
        assertThatThrownBy(() -> new KeyToken(32, "static")).hasMessageContaining("slot 32");
        assertThatThrownBy(() -> new KeyToken(0, "tpm")).hasMessageContaining("'tpm'");
        assertThatThrownBy(() -> KeyToken.fromMetadata("[]")).hasMessageContaining("tokens");
    }
}
