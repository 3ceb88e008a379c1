package dev.basalt.machined.system;

import java.io.PrintStream;

/**
 * machined's console lines, {@code [basalt] SOURCE: MESSAGE}. The console is what an operator without API access
 * sees, and what the QEMU tests read from the serial port.
 *
 * <p>Thread-safe: each line is printed and flushed under the stream's lock.
 */
public final class SystemConsole {
    private final PrintStream out;

    public SystemConsole(PrintStream out) {
        this.out = out;
    }

    public void line(String source, String message) {
        synchronized (out) {
            out.println("[basalt] " + source + ": " + message);
            out.flush();
        }
    }

    /** Prints a block of lines together, so other threads' lines do not interleave. */
    public void block(Iterable<String> lines) {
        synchronized (out) {
            for (String line : lines) {
                out.println(line);
            }
            out.flush();
        }
    }

    public void failure(String source, String message, Throwable cause) {
        synchronized (out) {
            out.println("[basalt] " + source + ": " + message + ": " + cause);
            for (Throwable c = cause.getCause(); c != null; c = c.getCause()) {
                out.println("[basalt] " + source + ":   caused by " + c);
            }
            out.flush();
        }
    }
}
