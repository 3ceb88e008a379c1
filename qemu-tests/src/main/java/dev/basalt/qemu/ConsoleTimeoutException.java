package dev.basalt.qemu;

/**
 * A console line did not appear in time, or the machine stopped first. The message carries the end of the serial
 * log so a failing test shows what the guest printed.
 */
public final class ConsoleTimeoutException extends RuntimeException {
    public ConsoleTimeoutException(String message) {
        super(message);
    }
}
