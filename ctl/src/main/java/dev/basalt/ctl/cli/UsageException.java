package dev.basalt.ctl.cli;

/** The command line itself is wrong (unknown flag, missing argument); exit status 2 and the command's usage. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
