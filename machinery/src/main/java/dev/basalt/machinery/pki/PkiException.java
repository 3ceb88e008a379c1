package dev.basalt.machinery.pki;

/** A certificate, key or request could not be built, parsed or verified; the message names what and why. */
public final class PkiException extends RuntimeException {
    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
