package dev.basalt.ctl.gen;

import dev.basalt.ctl.cli.CliException;
import dev.basalt.ctl.cli.Command;
import dev.basalt.ctl.cli.Flag;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.ctl.cli.UsageException;
import dev.basalt.ctl.files.OutputFiles;
import dev.basalt.machinery.config.ConfigLoader;
import dev.basalt.machinery.config.ConfigYaml;
import dev.basalt.machinery.config.LoadResult;
import dev.basalt.machinery.config.Problem;
import dev.basalt.machinery.config.TreeResult;
import dev.basalt.machinery.config.patch.Patch;
import dev.basalt.machinery.config.patch.PatchResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code basaltctl machineconfig patch CONFIG --patch @FILE [--patch ...] [-o OUT]}: applies patches to a machine
 * config and prints or writes the result, which must still be a valid config.
 */
public final class MachineConfigPatchCommand implements Command {
    @Override
    public String name() {
        return "patch";
    }

    @Override
    public String summary() {
        return "Patch a machine config";
    }

    @Override
    public String arguments() {
        return "<machineconfig-file>";
    }

    @Override
    public List<Flag> flags() {
        return List.of(
                Flag.array("patch", "p", "patch generated machineconfigs (applied to all node types), use @file to read a patch from file"),
                Flag.string("output", "o", "", "output destination. if not specified, output will be printed to stdout"));
    }

    @Override
    public int run(Invocation inv) throws IOException {
        String file = inv.requireArgs("CONFIG").getFirst();
        if (inv.strings("patch").isEmpty()) {
            throw new UsageException("required flag(s) \"patch\" not set");
        }
        Path path = inv.path(file);
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException("config file " + path + " does not exist");
        }
        Map<String, Object> tree = switch (ConfigLoader.parseTree(text, file)) {
            case TreeResult.Parsed parsed -> parsed.tree();
            case TreeResult.Failed(List<Problem> problems) -> throw ConfigText.rejected("cannot read " + file, problems);
        };
        List<Patch> patches = PatchArguments.load(inv, "patch", inv.strings("patch"));
        Map<String, Object> patched = switch (Patch.applyAll(tree, patches)) {
            case PatchResult.Applied(Map<String, Object> result) -> result;
            case PatchResult.Failed(List<Problem> problems) -> throw ConfigText.rejected("cannot patch " + file, problems);
        };
        String output = ConfigYaml.encode(patched);
        String outName = inv.string("output").isEmpty() ? file + " (patched)" : inv.string("output");
        if (ConfigLoader.load(output, outName) instanceof LoadResult.Rejected rejected) {
            throw ConfigText.rejected("the patched config is not valid (nothing was written)", rejected.errors());
        }
        if (inv.string("output").isEmpty()) {
            inv.out().print(output);
        } else {
            new OutputFiles().add(inv.path(inv.string("output")), output).write(true);
        }
        return 0;
    }
}
