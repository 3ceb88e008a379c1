package dev.basalt.networkd.linux;

import java.io.IOException;

/**
 * A Linux system call failed; carries the call's name and {@code errno}.
 *
 * <p>Immutable and thread-safe.
 */
public final class SyscallException extends IOException {
    private final String call;
    private final int errno;

    public SyscallException(String call, int errno, String detail) {
        super(call + " failed: errno " + errno + " (" + Libc.strerror(errno) + ")" + (detail.isEmpty() ? "" : ": " + detail));
        this.call = call;
        this.errno = errno;
    }

    /** The name of the failed call, e.g. {@code "sendto"}. */
    public String call() {
        return call;
    }

    /** The positive {@code errno} value the call left behind. */
    public int errno() {
        return errno;
    }
}
