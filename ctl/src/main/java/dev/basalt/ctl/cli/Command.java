package dev.basalt.ctl.cli;

import java.util.List;

/**
 * A leaf command. Implementations are stateless values wired explicitly in {@code Main}; each run gets its own
 * {@link Invocation}.
 */
public non-sealed interface Command extends CommandNode {
    /** Positional arguments as shown in help, e.g. {@code "NAME ENDPOINT"}; empty when none. */
    default String arguments() {
        return "";
    }

    /** Flags of this command (the global flags are added by the tree). */
    default List<Flag> flags() {
        return List.of();
    }

    /** Runs the command; returns the exit status. Throw {@link CliException} or {@link UsageException} to fail. */
    int run(Invocation invocation) throws Exception;
}
