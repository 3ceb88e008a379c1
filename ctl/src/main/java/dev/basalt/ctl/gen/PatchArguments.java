package dev.basalt.ctl.gen;

import dev.basalt.ctl.cli.CliException;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.machinery.config.Problem;
import dev.basalt.machinery.config.patch.Patch;
import dev.basalt.machinery.config.patch.PatchParseResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads patch arguments as talosctl takes them: {@code @FILE} reads a file, anything else is the patch text
 * itself (YAML strategic merge, or a JSON/YAML list of RFC 6902 operations). Stateless.
 */
public final class PatchArguments {
    private PatchArguments() {
    }

    /** Parses every argument; fails listing every problem of every bad patch. */
    public static List<Patch> load(Invocation inv, String flag, List<String> arguments) {
        List<Patch> patches = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            String source;
            String text;
            if (argument.startsWith("@")) {
                Path file = inv.path(argument.substring(1));
                source = argument.substring(1);
                try {
                    text = Files.readString(file, StandardCharsets.UTF_8);
                } catch (NoSuchFileException e) {
                    throw new CliException("--" + flag + " " + argument + ": file " + file + " does not exist");
                } catch (IOException e) {
                    throw new CliException("--" + flag + " " + argument + ": cannot read " + file + ": " + e.getMessage());
                }
            } else {
                source = "--" + flag + " #" + (i + 1);
                text = argument;
            }
            switch (Patch.parse(text, source)) {
                case PatchParseResult.Parsed(Patch patch) -> patches.add(patch);
                case PatchParseResult.Rejected(List<Problem> found) -> problems.addAll(found);
            }
        }
        if (!problems.isEmpty()) {
            throw ConfigText.rejected("invalid patch", problems);
        }
        return patches;
    }
}
