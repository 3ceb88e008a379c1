package dev.basalt.machinery.exec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One invocation of an external program: what to run, with which arguments and extra environment, what to feed
 * it on standard input and how long it may take.
 *
 * <p>Arguments can be marked secret (a passphrase on a command line, a token); {@link #displayArgs()} replaces
 * them with {@value #REDACTED}, and it is what errors and logs show. Standard input is never shown: it is the
 * preferred channel for keys ({@code cryptsetup --key-file -}).
 *
 * <p>Immutable and thread-safe; build one with {@link #of(String, String...)} or {@link #builder(String)}.
 *
 * @param program     a bare name looked up on the executor's search path, or an absolute path
 * @param args        the arguments, without the program itself
 * @param secretArgs  indexes into {@code args} that must never be shown
 * @param env         variables added to the executor's minimal environment
 * @param stdin       bytes written to standard input, which is then closed; empty means nothing
 * @param timeout     after this long the process (and its descendants) is killed and the run fails
 */
public record Command(String program, List<String> args, BitSet secretArgs, Map<String, String> env, byte[] stdin,
                      Duration timeout) {
    /** What a secret argument looks like in messages. */
    public static final String REDACTED = "<redacted>";
    /** Generous for mkfs and cryptsetup on real disks, still bounded. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    public Command {
        Objects.requireNonNull(program, "program");
        if (program.isBlank()) {
            throw new IllegalArgumentException("command program must not be blank");
        }
        args = List.copyOf(args);
        secretArgs = (BitSet) secretArgs.clone();
        if (secretArgs.length() > args.size()) {
            throw new IllegalArgumentException("secret argument index " + (secretArgs.length() - 1)
                    + " is beyond the " + args.size() + " arguments of " + program);
        }
        env = Map.copyOf(env);
        stdin = stdin.clone();
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout of " + program + " must be positive, got " + timeout);
        }
    }

    /** A command with plain arguments, no stdin, no extra environment and the default timeout. */
    public static Command of(String program, String... args) {
        return builder(program).args(args).build();
    }

    public static Builder builder(String program) {
        return new Builder(program);
    }

    @Override
    public BitSet secretArgs() {
        return (BitSet) secretArgs.clone();
    }

    @Override
    public byte[] stdin() {
        return stdin.clone();
    }

    /** The arguments as they may be shown: secret ones replaced by {@value #REDACTED}. */
    public List<String> displayArgs() {
        List<String> shown = new ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++) {
            shown.add(secretArgs.get(i) ? REDACTED : args.get(i));
        }
        return List.copyOf(shown);
    }

    /** {@code program arg1 arg2 ...} with secrets redacted, for messages. */
    public String display() {
        StringBuilder sb = new StringBuilder(program);
        for (String a : displayArgs()) {
            sb.append(' ').append(a.isEmpty() || a.contains(" ") ? "'" + a + "'" : a);
        }
        return sb.toString();
    }

    /** A copy that feeds {@code bytes} to standard input. */
    public Command withStdin(byte[] bytes) {
        return new Command(program, args, secretArgs, env, bytes, timeout);
    }

    /** A copy with another timeout. */
    public Command withTimeout(Duration newTimeout) {
        return new Command(program, args, secretArgs, env, stdin, newTimeout);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Command c && program.equals(c.program) && args.equals(c.args)
                && secretArgs.equals(c.secretArgs) && env.equals(c.env) && Arrays.equals(stdin, c.stdin)
                && timeout.equals(c.timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(program, args, secretArgs, env, Arrays.hashCode(stdin), timeout);
    }

    /** Never shows secrets or standard input (which usually carries a key). */
    @Override
    public String toString() {
        return "Command[" + display() + (env.isEmpty() ? "" : ", env=" + env.keySet())
                + (stdin.length == 0 ? "" : ", stdin=" + stdin.length + " bytes") + ", timeout=" + timeout + "]";
    }

    /** Collects the parts of a {@link Command}. Not thread-safe; use from one thread. */
    public static final class Builder {
        private final String program;
        private final List<String> args = new ArrayList<>();
        private final BitSet secret = new BitSet();
        private final Map<String, String> env = new LinkedHashMap<>();
        private byte[] stdin = new byte[0];
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder(String program) {
            this.program = program;
        }

        public Builder arg(String arg) {
            args.add(Objects.requireNonNull(arg, "argument"));
            return this;
        }

        public Builder args(String... more) {
            for (String a : more) {
                arg(a);
            }
            return this;
        }

        public Builder args(List<String> more) {
            more.forEach(this::arg);
            return this;
        }

        /** An argument that is shown as {@value Command#REDACTED} everywhere. */
        public Builder secretArg(String arg) {
            secret.set(args.size());
            return arg(arg);
        }

        public Builder env(String name, String value) {
            env.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder stdin(byte[] bytes) {
            stdin = bytes.clone();
            return this;
        }

        public Builder timeout(Duration value) {
            timeout = value;
            return this;
        }

        public Command build() {
            return new Command(program, args, secret, env, stdin, timeout);
        }
    }
}
