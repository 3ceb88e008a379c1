package dev.basalt.ctl.gen;

import dev.basalt.ctl.cli.Command;
import dev.basalt.ctl.cli.Flag;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.ctl.cli.UsageException;
import dev.basalt.machinery.config.ConfigLoader;
import dev.basalt.machinery.config.LoadResult;
import dev.basalt.machinery.config.Problem;
import dev.basalt.machinery.config.ValidationMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** {@code basaltctl validate --config F --mode M [--strict]}: checks a machine config without touching any node. */
public final class ValidateCommand implements Command {
    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String summary() {
        return "Validate config";
    }

    @Override
    public List<Flag> flags() {
        return List.of(
                Flag.string("config", "c", "", "the path of the config file"),
                Flag.string("mode", "m", "", "the mode to validate the config for (valid values are metal, cloud, and container)"),
                Flag.bool("strict", "", "treat validation warnings as errors"));
    }

    @Override
    public int run(Invocation inv) throws IOException {
        inv.requireArgs();
        if (inv.string("config").isEmpty()) {
            throw new UsageException("required flag(s) \"config\" not set");
        }
        if (inv.string("mode").isEmpty()) {
            throw new UsageException("required flag(s) \"mode\" not set");
        }
        ValidationMode mode;
        try {
            mode = ValidationMode.parse(inv.string("mode"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--mode: " + e.getMessage());
        }
        Path file = inv.path(inv.string("config"));
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new dev.basalt.ctl.cli.CliException("config file " + file + " does not exist");
        }
        switch (ConfigLoader.load(text, inv.string("config"), mode, inv.bool("strict"))) {
            case LoadResult.Loaded loaded -> {
                for (Problem warning : loaded.warnings()) {
                    inv.err().println(warning);
                }
                inv.out().println(inv.string("config") + " is valid for " + mode + " mode");
                return 0;
            }
            case LoadResult.Rejected rejected -> throw ConfigText.rejected(
                    inv.string("config") + " is not valid for " + mode + " mode", rejected.errors());
        }
    }
}
