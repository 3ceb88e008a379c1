package dev.basalt.ctl.cli;

/** A node of the command tree: a {@link Command} or a {@link CommandGroup}. */
public sealed interface CommandNode permits Command, CommandGroup {
    String name();

    String summary();
}
