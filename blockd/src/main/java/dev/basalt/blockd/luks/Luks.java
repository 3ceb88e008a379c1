package dev.basalt.blockd.luks;

import dev.basalt.machinery.exec.Command;
import dev.basalt.machinery.exec.Exec;
import dev.basalt.machinery.exec.ExecException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * LUKS2 volumes through {@code cryptsetup}, via {@link Exec}. Keys always travel on standard input
 * ({@code --key-file -}), never on a command line.
 *
 * <p>Stateless apart from its executor; thread-safe.
 */
public final class Luks {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final Exec exec;

    public Luks(Exec exec) {
        this.exec = exec;
    }

    /** Formats {@code device} as LUKS2 with {@code key} in {@code slot}, destroying what was there. */
    public void format(Path device, int slot, byte[] key, LuksOptions options) {
        Command.Builder c = Command.builder("cryptsetup").args("luksFormat", "--type", "luks2", "--batch-mode",
                "--key-file", "-", "--key-slot", String.valueOf(slot), "--pbkdf", "argon2id",
                "--pbkdf-memory", String.valueOf(options.pbkdfMemoryKiB()), "--pbkdf-parallel", "1",
                "--iter-time", String.valueOf(options.iterTimeMillis()));
        options.cipher().ifPresent(ci -> c.args("--cipher", ci));
        if (options.keySizeBits() > 0) {
            c.args("--key-size", String.valueOf(options.keySizeBits()));
        }
        exec.check(c.arg(device.toString()).stdin(key).timeout(TIMEOUT).build());
    }

    /** Stores {@code token} in the LUKS2 header. */
    public void importToken(Path device, KeyToken token) {
        exec.check(Command.builder("cryptsetup").args("token", "import", "--json-file", "-", device.toString())
                .stdin(token.toJson().getBytes(StandardCharsets.UTF_8)).timeout(TIMEOUT).build());
    }

    /** Basalt's tokens in the header of {@code device}. */
    public List<KeyToken> tokens(Path device) {
        String json = exec.check(Command.of("cryptsetup", "luksDump", "--dump-json-metadata", device.toString()))
                .stdoutText();
        return KeyToken.fromMetadata(json);
    }

    public boolean isLuks2(Path device) {
        return exec.run(Command.of("cryptsetup", "isLuks", "--type", "luks2", device.toString())).succeeded();
    }

    /**
     * Opens {@code device} as {@code /dev/mapper/NAME} with {@code key}.
     *
     * @throws ExecException when the key is wrong (cryptsetup exits 2) or the device cannot be opened
     */
    public Path open(Path device, String name, byte[] key) {
        exec.check(Command.builder("cryptsetup").args("open", "--type", "luks2", "--key-file", "-",
                device.toString(), name).stdin(key).timeout(TIMEOUT).build());
        return Path.of("/dev/mapper", name);
    }

    /**
     * Whether {@code key} opens a key slot of {@code device}, checked without creating a mapping (no
     * device-mapper needed): cryptsetup exits 2 for a wrong key.
     */
    public boolean keyOpens(Path device, byte[] key) {
        Command c = Command.builder("cryptsetup").args("open", "--test-passphrase", "--type", "luks2",
                "--key-file", "-", device.toString()).stdin(key).timeout(TIMEOUT).build();
        var result = exec.run(c);
        if (result.exitCode() == 2) {
            return false;
        }
        if (!result.succeeded()) {
            throw ExecException.failedExit(c, result);
        }
        return true;
    }

    public void close(String name) {
        exec.check(Command.of("cryptsetup", "close", name));
    }
}
