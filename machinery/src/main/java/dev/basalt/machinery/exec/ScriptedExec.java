package dev.basalt.machinery.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A fake {@link Exec} for unit tests: replies come from a script of rules, and every command is recorded.
 *
 * <p>Rules are tried in the order they were added; the first whose predicate matches answers. A command no rule
 * matches fails loudly with {@link ExecException} (kind {@code NOT_FOUND}) so an unexpected invocation never
 * passes silently. Example:
 * <pre>{@code
 * ScriptedExec exec = new ScriptedExec()
 *         .on("mkfs.xfs", Result.ok(""))
 *         .on(c -> c.program().equals("cryptsetup") && c.args().contains("open"), Result.failed(2, "No key"));
 * }</pre>
 *
 * <p>Thread-safe: rules and the record of calls are guarded by the instance's lock.
 */
public final class ScriptedExec implements Exec {
    private record Rule(Predicate<Command> matches, Function<Command, Result> reply) {
    }

    private final List<Rule> rules = new ArrayList<>();
    private final List<Command> calls = new ArrayList<>();

    /** Answers every command for {@code program} with {@code result}. */
    public synchronized ScriptedExec on(String program, Result result) {
        return on(c -> c.program().equals(program), c -> result);
    }

    public synchronized ScriptedExec on(Predicate<Command> matches, Result result) {
        return on(matches, c -> result);
    }

    /** Answers matching commands with whatever {@code reply} computes; it may throw {@link ExecException}. */
    public synchronized ScriptedExec on(Predicate<Command> matches, Function<Command, Result> reply) {
        rules.add(new Rule(matches, reply));
        return this;
    }

    @Override
    public Result run(Command command) {
        Rule rule;
        synchronized (this) {
            calls.add(command);
            rule = rules.stream().filter(r -> r.matches().test(command)).findFirst().orElse(null);
        }
        if (rule == null) {
            throw ExecException.notFound(command, "the test script, which has no rule for it");
        }
        return rule.reply().apply(command);
    }

    /** Every command run so far, in order. */
    public synchronized List<Command> calls() {
        return List.copyOf(calls);
    }

    /** The commands run so far whose program is {@code program}. */
    public synchronized List<Command> calls(String program) {
        return calls.stream().filter(c -> c.program().equals(program)).toList();
    }
}
