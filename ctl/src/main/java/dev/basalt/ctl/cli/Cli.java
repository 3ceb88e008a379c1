package dev.basalt.ctl.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a command line against an explicit command tree and runs the selected command. Flags may appear before
 * or after positional arguments ({@code --name value}, {@code --name=value}, {@code -n value}, {@code -nvalue});
 * {@code --} ends flag parsing. Global flags apply to every command. Immutable; thread-safe.
 */
public final class Cli {
    private final String program;
    private final CommandGroup root;
    private final List<Flag> globalFlags;

    public Cli(String program, CommandGroup root, List<Flag> globalFlags) {
        this.program = program;
        this.root = root;
        this.globalFlags = List.copyOf(globalFlags);
    }

    /** Runs {@code argv}; returns the process exit status. Never throws for user errors. */
    public int run(List<String> argv, Invocation.Environment environment) {
        List<String> path = new ArrayList<>(List.of(program));
        CommandNode node = root;
        // Walk down groups by the first non-flag words.
        while (node instanceof CommandGroup group) {
            int at = nextWord(argv, 0);
            String word = at < 0 ? null : argv.get(at);
            if (word == null || word.equals("help") || word.equals("--help") || word.equals("-h")) {
                if (word != null && word.equals("help") && at + 1 < argv.size()) {
                    return help(argv.subList(at + 1, argv.size()), environment.out());
                }
                printGroupHelp(path, group, environment.out());
                return word == null && group == root ? 0 : (word == null ? 2 : 0);
            }
            var child = group.child(word);
            if (child.isEmpty()) {
                environment.err().println("error: unknown command \"" + word + "\" for \"" + String.join(" ", path) + "\"");
                environment.err().println("Run '" + String.join(" ", path) + " --help' for usage.");
                return 2;
            }
            path.add(word);
            argv = remove(argv, at);
            node = child.get();
        }
        Command command = (Command) node;
        Map<String, Flag> flags = new LinkedHashMap<>();
        globalFlags.forEach(f -> flags.put(f.name(), f));
        command.flags().forEach(f -> flags.put(f.name(), f));
        try {
            if (argv.contains("--help") || argv.contains("-h") && !flags.containsKey("h")) {
                printCommandHelp(path, command, environment.out());
                return 0;
            }
            Invocation invocation = parse(path, flags, argv, environment);
            return command.run(invocation);
        } catch (UsageException e) {
            environment.err().println("error: " + e.getMessage());
            environment.err().println("Run '" + String.join(" ", path) + " --help' for usage.");
            return 2;
        } catch (CliException e) {
            environment.err().println("error: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            environment.err().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        } catch (Exception e) {
            environment.err().println("error: " + e);
            return 1;
        }
    }

    private int nextWord(List<String> argv, int from) {
        // The group walk only looks at the first argument that is not a flag; global flags may precede it.
        for (int i = from; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                return i;
            }
            if (arg.startsWith("-")) {
                Flag flag = findGlobal(arg);
                if (flag != null && flag.kind() != Flag.Kind.BOOL && !arg.contains("=") && !isAttachedShort(arg)) {
                    i++;
                }
                continue;
            }
            return i;
        }
        return -1;
    }

    private boolean isAttachedShort(String arg) {
        return !arg.startsWith("--") && arg.length() > 2;
    }

    private Flag findGlobal(String arg) {
        String name = arg.startsWith("--") ? arg.substring(2).split("=", 2)[0] : arg.substring(1, Math.min(2, arg.length()));
        for (Flag flag : globalFlags) {
            if (arg.startsWith("--") ? flag.name().equals(name) : flag.shorthand().equals(name)) {
                return flag;
            }
        }
        return null;
    }

    private static List<String> remove(List<String> list, int index) {
        List<String> copy = new ArrayList<>(list);
        copy.remove(index);
        return copy;
    }

    static Invocation parse(List<String> path, Map<String, Flag> flags, List<String> argv, Invocation.Environment environment) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("--")) {
                positional.addAll(argv.subList(i + 1, argv.size()));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                positional.add(arg);
                continue;
            }
            Flag flag;
            String inline = null;
            if (arg.startsWith("--")) {
                String[] parts = arg.substring(2).split("=", 2);
                flag = flags.get(parts[0]);
                if (flag == null) {
                    throw new UsageException("unknown flag: --" + parts[0]);
                }
                if (parts.length == 2) {
                    inline = parts[1];
                }
            } else {
                String shorthand = arg.substring(1, 2);
                flag = flags.values().stream().filter(f -> f.shorthand().equals(shorthand)).findFirst()
                        .orElseThrow(() -> new UsageException("unknown shorthand flag: '" + shorthand + "' in " + arg));
                if (arg.length() > 2) {
                    inline = arg.charAt(2) == '=' ? arg.substring(3) : arg.substring(2);
                }
            }
            String value;
            if (flag.kind() == Flag.Kind.BOOL) {
                value = inline == null ? "true" : inline;
                if (!value.equals("true") && !value.equals("false")) {
                    throw new UsageException("--" + flag.name() + ": expected true or false, got '" + value + "'");
                }
            } else if (inline != null) {
                value = inline;
            } else if (i + 1 < argv.size()) {
                value = argv.get(++i);
            } else {
                throw new UsageException("flag needs an argument: --" + flag.name());
            }
            List<String> list = values.computeIfAbsent(flag.name(), k -> new ArrayList<>());
            switch (flag.kind()) {
                case STRING_SLICE -> {
                    for (String part : value.split(",")) {
                        if (!part.isBlank()) {
                            list.add(part.strip());
                        }
                    }
                }
                case STRING_ARRAY -> list.add(value);
                default -> {
                    list.clear();
                    list.add(value);
                }
            }
        }
        return new Invocation(path, flags, values, positional, environment);
    }

    private int help(List<String> words, PrintStream out) {
        List<String> path = new ArrayList<>(List.of(program));
        CommandNode node = root;
        for (String word : words) {
            if (!(node instanceof CommandGroup group) || group.child(word).isEmpty()) {
                break;
            }
            node = group.child(word).get();
            path.add(word);
        }
        if (node instanceof CommandGroup group) {
            printGroupHelp(path, group, out);
        } else {
            printCommandHelp(path, (Command) node, out);
        }
        return 0;
    }

    private void printGroupHelp(List<String> path, CommandGroup group, PrintStream out) {
        out.println(group.summary());
        out.println();
        out.println("Usage:\n  " + String.join(" ", path) + " COMMAND [flags]");
        out.println();
        out.println("Available Commands:");
        for (CommandNode child : group.children()) {
            out.printf("  %-20s %s%n", child.name(), child.summary());
        }
        printFlags("Global Flags:", globalFlags, out);
    }

    private void printCommandHelp(List<String> path, Command command, PrintStream out) {
        out.println(command.summary());
        out.println();
        out.println("Usage:\n  " + String.join(" ", path) + (command.arguments().isEmpty() ? "" : " " + command.arguments()) + " [flags]");
        printFlags("Flags:", command.flags(), out);
        printFlags("Global Flags:", globalFlags, out);
    }

    private static void printFlags(String title, List<Flag> flags, PrintStream out) {
        if (flags.isEmpty()) {
            return;
        }
        out.println();
        out.println(title);
        flags.forEach(f -> out.println(f.display()));
    }
}
