package dev.basalt.ctl.cli;

/** A command failed for a reason the user can act on; printed as {@code error: MESSAGE}, exit status 1. */
public final class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
