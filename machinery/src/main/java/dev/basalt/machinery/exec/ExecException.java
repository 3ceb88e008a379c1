package dev.basalt.machinery.exec;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An external program could not be run, ran too long, or exited with a status the caller did not accept.
 *
 * <p>The message names the program, its arguments (secrets redacted), the exit status when there was one and
 * the last lines of standard error, so a failed install says exactly which tool refused and why.
 */
public final class ExecException extends RuntimeException {
    /** How much of standard error a message keeps: the end, where tools put the reason. */
    static final int STDERR_TAIL_CHARS = 1024;

    /** Why the run did not succeed. */
    public enum Kind { NOT_FOUND, START_FAILED, TIMED_OUT, FAILED_EXIT }

    private final Kind kind;
    private final String program;
    private final List<String> displayArgs;
    private final OptionalInt exitCode;
    private final String stderrTail;

    private ExecException(Kind kind, Command command, OptionalInt exitCode, String stderrTail, String detail,
                          Throwable cause) {
        super(message(kind, command, exitCode, stderrTail, detail), cause);
        this.kind = kind;
        this.program = command.program();
        this.displayArgs = command.displayArgs();
        this.exitCode = exitCode;
        this.stderrTail = stderrTail;
    }

    /** {@code command} exited with {@code result}'s non-zero status. */
    public static ExecException failedExit(Command command, Result result) {
        return new ExecException(Kind.FAILED_EXIT, command, OptionalInt.of(result.exitCode()),
                tail(result.stderrText()), "", null);
    }

    public static ExecException timedOut(Command command, String stderrSoFar) {
        return new ExecException(Kind.TIMED_OUT, command, OptionalInt.empty(), tail(stderrSoFar),
                "killed after " + command.timeout(), null);
    }

    public static ExecException notFound(Command command, String searched) {
        return new ExecException(Kind.NOT_FOUND, command, OptionalInt.empty(), "",
                "program not found (searched " + searched + ")", null);
    }

    public static ExecException startFailed(Command command, String detail, Throwable cause) {
        return new ExecException(Kind.START_FAILED, command, OptionalInt.empty(), "", detail, cause);
    }

    public Kind kind() {
        return kind;
    }

    public String program() {
        return program;
    }

    /** The arguments with secrets redacted. */
    public List<String> displayArgs() {
        return displayArgs;
    }

    public OptionalInt exitCode() {
        return exitCode;
    }

    /** The end of standard error, trimmed; empty when the program printed nothing there. */
    public String stderrTail() {
        return stderrTail;
    }

    public Optional<String> stderrTailIfAny() {
        return stderrTail.isEmpty() ? Optional.empty() : Optional.of(stderrTail);
    }

    private static String message(Kind kind, Command command, OptionalInt exitCode, String stderrTail,
                                  String detail) {
        StringBuilder sb = new StringBuilder("`").append(command.display()).append("` ");
        sb.append(switch (kind) {
            case NOT_FOUND -> "could not run";
            case START_FAILED -> "could not be started";
            case TIMED_OUT -> "timed out";
            case FAILED_EXIT -> "exited with status " + exitCode.orElse(-1) + ", expected 0";
        });
        if (!detail.isEmpty()) {
            sb.append(": ").append(detail);
        }
        if (!stderrTail.isEmpty()) {
            sb.append("; stderr: ").append(stderrTail);
        }
        return sb.toString();
    }

    static String tail(String text) {
        String trimmed = text.strip();
        return trimmed.length() <= STDERR_TAIL_CHARS ? trimmed
                : "..." + trimmed.substring(trimmed.length() - STDERR_TAIL_CHARS);
    }
}
