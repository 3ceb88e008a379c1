package dev.basalt.blockd.luks;

import java.util.Optional;

/**
 * How {@code cryptsetup luksFormat} sets up a volume. Argon2id memory is bounded so a small node (or a TCG
 * guest) can unlock at boot; cryptsetup's default would ask for up to 1 GiB.
 *
 * @param cipher        e.g. {@code aes-xts-plain64}; empty for cryptsetup's default
 * @param keySizeBits   0 for the default
 * @param pbkdfMemoryKiB Argon2id memory cost
 * @param iterTimeMillis target unlock time the PBKDF is benchmarked to
 */
public record LuksOptions(Optional<String> cipher, int keySizeBits, int pbkdfMemoryKiB, int iterTimeMillis) {
    public static LuksOptions defaults() {
        return new LuksOptions(Optional.empty(), 0, 64 * 1024, 1000);
    }
}
