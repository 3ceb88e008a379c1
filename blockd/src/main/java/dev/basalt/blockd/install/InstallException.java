package dev.basalt.blockd.install;

/** An install failed after it started writing; the message names the step. The disk is not bootable. */
public final class InstallException extends Exception {
    public InstallException(String message, Throwable cause) {
        super(message, cause);
    }
}
