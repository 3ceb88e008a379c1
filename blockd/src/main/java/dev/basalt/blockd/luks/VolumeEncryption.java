package dev.basalt.blockd.luks;

import dev.basalt.machinery.exec.ExecException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sets up and unlocks an encrypted system partition (STATE or EPHEMERAL): LUKS2 formatted with the key of a
 * {@link KeyProvider}, a {@link KeyToken} recording which provider fills which slot, and at boot an unlock that
 * reads those tokens and tries each provider it can derive a key for.
 *
 * <p>Stateless apart from its {@link Luks}; thread-safe.
 */
public final class VolumeEncryption {
    /** One key to install: its slot and where it comes from. */
    public record SlotKey(int slot, KeyProvider provider) {
    }

    private final Luks luks;

    public VolumeEncryption(Luks luks) {
        this.luks = luks;
    }

    /**
     * Formats {@code device} with the first of {@code keys} and records a token for it. Only one key per
     * volume is supported yet.
     */
    public void format(Path device, String label, List<SlotKey> keys, LuksOptions options) throws IOException {
        if (keys.size() != 1) {
            throw new IllegalArgumentException("encryption of " + label + " lists " + keys.size()
                    + " keys; exactly one key per partition is supported");
        }
        SlotKey k = keys.getFirst();
        luks.format(device, k.slot(), k.provider().key(label), options);
        luks.importToken(device, new KeyToken(k.slot(), k.provider().tokenName()));
    }

    /**
     * Opens {@code device} as {@code /dev/mapper/NAME} using the tokens in its header. {@code nodeId} derives
     * machine-bound keys; {@code staticPassphrases} maps slot to passphrase for static keys (known from META or
     * the config).
     *
     * @throws IOException naming every token tried and why it did not open the volume
     */
    public Path unlock(Path device, String label, String name, KeyProvider.NodeId nodeId,
                       Map<Integer, KeyProvider.Static> staticPassphrases) throws IOException {
        List<KeyToken> tokens = luks.tokens(device);
        if (tokens.isEmpty()) {
            throw new IOException(device + " (" + label + ") has no " + KeyToken.TYPE
                    + " token: nothing says how to unlock it");
        }
        List<String> failures = new ArrayList<>();
        for (KeyToken t : tokens) {
            KeyProvider provider = switch (t.provider()) {
                case "nodeID" -> nodeId;
                case "static" -> staticPassphrases.get(t.slot());
                default -> null;
            };
            if (provider == null) {
                failures.add("slot " + t.slot() + " (" + t.provider() + "): no passphrase known");
                continue;
            }
            try {
                return luks.open(device, name, provider.key(label));
            } catch (ExecException | IOException e) {
                failures.add("slot " + t.slot() + " (" + t.provider() + "): " + e.getMessage());
            }
        }
        throw new IOException("could not unlock " + device + " (" + label + "): " + String.join("; ", failures));
    }
}
