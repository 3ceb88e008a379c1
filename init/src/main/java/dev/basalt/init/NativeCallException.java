package dev.basalt.init;

/**
 * A system call failed. Carries the call's name, what it acted on and the kernel's errno, so a console line says
 * exactly what went wrong ({@code mount(/dev/loop0 -> /newroot, squashfs): errno 19 (ENODEV)}).
 *
 * <p>Immutable; thread-safe.
 */
public final class NativeCallException extends RuntimeException {
    private final String call;
    private final int errno;

    public NativeCallException(String call, String subject, int errno) {
        super(call + "(" + subject + "): errno " + errno + " (" + Errno.name(errno) + ")");
        this.call = call;
        this.errno = errno;
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }
}
