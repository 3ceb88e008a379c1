package dev.basalt.ctl.cli;

import java.util.List;
import java.util.Optional;

/** A command with subcommands, e.g. {@code gen} holding {@code secrets} and {@code config}. Immutable. */
public record CommandGroup(String name, String summary, List<CommandNode> children) implements CommandNode {
    public CommandGroup {
        children = List.copyOf(children);
    }

    public Optional<CommandNode> child(String childName) {
        return children.stream().filter(c -> c.name().equals(childName)).findFirst();
    }
}
