package dev.basalt.ctl.files;

import dev.basalt.ctl.cli.CliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a set of generated files all-or-nothing: existing files are refused unless forced, and every file is
 * written to a temporary sibling first and moved into place only after all were written. Not thread-safe.
 */
public final class OutputFiles {
    private final Map<Path, String> files = new LinkedHashMap<>();

    /** Adds a file; secret material is written with mode 0600. */
    public OutputFiles add(Path path, String content) {
        files.put(path, content);
        return this;
    }

    public void write(boolean force) {
        if (!force) {
            for (Path path : files.keySet()) {
                if (Files.exists(path)) {
                    throw new CliException(path + " already exists, use --force to overwrite");
                }
            }
        }
        Map<Path, Path> staged = new LinkedHashMap<>();
        try {
            for (Map.Entry<Path, String> entry : files.entrySet()) {
                Path target = entry.getKey().toAbsolutePath();
                Files.createDirectories(target.getParent());
                Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmp, entry.getValue(), StandardCharsets.UTF_8);
                staged.put(tmp, target);
            }
            for (Map.Entry<Path, Path> entry : staged.entrySet()) {
                Files.move(entry.getKey(), entry.getValue(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            for (Path tmp : staged.keySet()) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the original error is what the user needs to see
                }
            }
            throw new CliException("cannot write output: " + e.getMessage(), e);
        }
    }
}
