package dev.basalt.init;

import java.io.PrintStream;

/**
 * init's console lines: {@code [basalt] init: MESSAGE (+MILLIS ms)}, the elapsed time counted from JVM start so a
 * serial log shows where boot time goes.
 *
 * <p>Thread-safe (PrintStream serialises lines).
 */
public final class Console {
    private final PrintStream out;
    private final long startNanos;

    public Console(PrintStream out, long startNanos) {
        this.out = out;
        this.startNanos = startNanos;
    }

    public void info(String message) {
        out.println("[basalt] init: " + message + " (+" + (System.nanoTime() - startNanos) / 1_000_000 + " ms)");
        out.flush();
    }

    public void error(String message, Throwable cause) {
        out.println("[basalt] init: ERROR " + message + ": " + cause);
        for (Throwable c = cause.getCause(); c != null; c = c.getCause()) {
            out.println("[basalt] init:   caused by " + c);
        }
        out.flush();
    }
}
