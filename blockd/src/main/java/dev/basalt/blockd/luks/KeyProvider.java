package dev.basalt.blockd.luks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

/**
 * Where a LUKS2 key comes from ({@code machine.systemDiskEncryption.*.keys[]}).
 */
public sealed interface KeyProvider {
    /** The name stored in the LUKS2 token's {@code provider} field. */
    String tokenName();

    /** The key bytes for the partition labelled {@code label}. */
    byte[] key(String label) throws IOException;

    /** A passphrase from the machine config. */
    record Static(String passphrase) implements KeyProvider {
        public Static {
            if (passphrase.isEmpty()) {
                throw new IllegalArgumentException("static disk encryption passphrase must not be empty");
            }
        }

        @Override
        public String tokenName() {
            return "static";
        }

        @Override
        public byte[] key(String label) {
            return passphrase.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Static[passphrase=redacted]";
        }
    }

    /**
     * A key bound to this machine: hex SHA-256 of the SMBIOS system UUID (lower case) and the partition label
     * ({@code UUID + ":" + label}), so STATE and EPHEMERAL get different keys and the disk only opens in the
     * machine it was installed in.
     *
     * @param productUuidFile normally {@code /sys/class/dmi/id/product_uuid}
     */
    record NodeId(Path productUuidFile) implements KeyProvider {
        public static NodeId system() {
            return new NodeId(Path.of("/sys/class/dmi/id/product_uuid"));
        }

        @Override
        public String tokenName() {
            return "nodeID";
        }

        @Override
        public byte[] key(String label) throws IOException {
            if (!Files.isReadable(productUuidFile)) {
                throw new IOException("nodeID disk encryption key needs the SMBIOS system UUID, but "
                        + productUuidFile + " is not readable");
            }
            String text = Files.readString(productUuidFile).strip().toLowerCase(Locale.ROOT);
            UUID uuid;
            try {
                uuid = UUID.fromString(text);
            } catch (IllegalArgumentException e) {
                throw new IOException("SMBIOS system UUID '" + text + "' in " + productUuidFile
                        + " is not a UUID", e);
            }
            // Placeholder UUIDs some firmware reports would give every such machine the same key.
            if (uuid.equals(new UUID(0, 0)) || uuid.equals(new UUID(-1, -1))) {
                throw new IOException("SMBIOS system UUID " + uuid + " in " + productUuidFile
                        + " is a placeholder, too weak for a nodeID disk encryption key");
            }
            return derive(uuid.toString(), label);
        }

        static byte[] derive(String uuid, String label) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256")
                        .digest((uuid + ":" + label).getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
            }
        }
    }
}
