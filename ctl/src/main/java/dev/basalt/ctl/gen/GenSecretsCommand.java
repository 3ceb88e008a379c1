package dev.basalt.ctl.gen;

import dev.basalt.ctl.cli.Command;
import dev.basalt.ctl.cli.Flag;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.ctl.files.OutputFiles;
import dev.basalt.machinery.secrets.SecretsBundle;
import java.nio.file.Path;
import java.util.List;

/** {@code basaltctl gen secrets}: writes a new secrets bundle (Talos {@code secrets.yaml} layout). */
public final class GenSecretsCommand implements Command {
    @Override
    public String name() {
        return "secrets";
    }

    @Override
    public String summary() {
        return "Generates a secrets bundle file which can later be used to generate a config";
    }

    @Override
    public List<Flag> flags() {
        return List.of(
                Flag.string("output-file", "o", "secrets.yaml", "path of the output secrets file"),
                Flag.bool("force", "", "overwrite the output file if it exists"));
    }

    @Override
    public int run(Invocation inv) {
        inv.requireArgs();
        Path output = inv.path(inv.string("output-file"));
        new OutputFiles().add(output, SecretsBundle.generate().toYaml()).write(inv.bool("force"));
        inv.err().println("wrote " + output);
        return 0;
    }
}
