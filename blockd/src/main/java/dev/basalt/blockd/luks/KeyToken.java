package dev.basalt.blockd.luks;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Basalt's LUKS2 token: which key slot a key provider fills, so boot can unlock without being told
 * (cryptsetup's token JSON: an object with {@code type} and {@code keyslots}, plus our fields).
 * <pre>{"type":"basalt-key","keyslots":["0"],"slot":0,"provider":"nodeID"}</pre>
 *
 * @param slot     the LUKS2 key slot holding the key
 * @param provider {@link KeyProvider#tokenName()} of the key's source
 */
public record KeyToken(int slot, String provider) {
    public static final String TYPE = "basalt-key";

    public KeyToken {
        if (slot < 0 || slot > 31) {
            throw new IllegalArgumentException("LUKS2 key slot " + slot + " is out of range, expected 0..31");
        }
        if (!provider.equals("static") && !provider.equals("nodeID")) {
            throw new IllegalArgumentException("key provider '" + provider + "' is unknown, expected static or nodeID");
        }
    }

    /** The token JSON for {@code cryptsetup token import}. */
    public String toJson() {
        return "{\"type\":\"" + TYPE + "\",\"keyslots\":[\"" + slot + "\"],\"slot\":" + slot
                + ",\"provider\":\"" + provider + "\"}";
    }

    /** Decodes one token object; empty when it is not ours or is malformed. */
    public static Optional<KeyToken> fromJson(Map<?, ?> token) {
        if (!TYPE.equals(token.get("type")) || !(token.get("slot") instanceof Number slot)
                || !(token.get("provider") instanceof String provider)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new KeyToken(slot.intValue(), provider));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Our tokens in the LUKS2 metadata JSON that {@code cryptsetup luksDump --dump-json-metadata} prints, keyed by
     * token id, in token id order.
     */
    public static List<KeyToken> fromMetadata(String metadataJson) {
        Object root = new Load(LoadSettings.builder().build()).loadFromString(metadataJson);
        if (!(root instanceof Map<?, ?> map) || !(map.get("tokens") instanceof Map<?, ?> tokens)) {
            throw new IllegalArgumentException("LUKS2 metadata has no \"tokens\" object");
        }
        return tokens.entrySet().stream()
                .sorted(java.util.Comparator.comparing(e -> Integer.parseInt(String.valueOf(e.getKey()))))
                .map(Map.Entry::getValue)
                .filter(Map.class::isInstance)
                .map(t -> fromJson((Map<?, ?>) t))
                .flatMap(Optional::stream)
                .toList();
    }
}
