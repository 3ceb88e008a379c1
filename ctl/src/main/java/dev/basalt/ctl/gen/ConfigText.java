package dev.basalt.ctl.gen;

import dev.basalt.ctl.cli.CliException;
import dev.basalt.machinery.config.Problem;
import java.util.List;
import java.util.stream.Collectors;

/** Turns config problems into one CLI error listing each on its own line. */
public final class ConfigText {
    private ConfigText() {
    }

    public static CliException rejected(String what, List<Problem> problems) {
        return new CliException(what + ":\n  " + problems.stream().map(Problem::toString).collect(Collectors.joining("\n  ")));
    }
}
