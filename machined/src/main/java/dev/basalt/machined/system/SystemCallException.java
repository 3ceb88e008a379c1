package dev.basalt.machined.system;

/**
 * A system call machined made failed; the message names the call, what it acted on and the errno.
 *
 * <p>Immutable; thread-safe.
 */
public final class SystemCallException extends RuntimeException {
    private final int errno;

    public SystemCallException(String call, String subject, int errno) {
        super(call + "(" + subject + "): errno " + errno);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
