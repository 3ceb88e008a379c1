package dev.basalt.networkd.netlink;

import java.io.IOException;
import java.util.Optional;

/**
 * The kernel refused an rtnetlink request; carries the operation, the errno and the kernel's own explanation when it
 * gave one (extended ack).
 */
public final class RtnetlinkException extends IOException {
    private final int errno;

    public RtnetlinkException(String operation, int errno, Optional<String> kernelMessage) {
        super(operation + " failed: errno " + errno + " (" + name(errno) + ")" + kernelMessage.map(m -> ": " + m).orElse(""));
        this.errno = errno;
    }

    /** The positive errno, e.g. 17 (EEXIST), 19 (ENODEV). */
    public int errno() {
        return errno;
    }

    private static String name(int errno) {
        return switch (errno) {
            case 1 -> "EPERM";
            case 2 -> "ENOENT";
            case 3 -> "ESRCH";
            case 16 -> "EBUSY";
            case 17 -> "EEXIST";
            case 19 -> "ENODEV";
            case 22 -> "EINVAL";
            case 34 -> "ERANGE";
            case 95 -> "EOPNOTSUPP";
            case 99 -> "EADDRNOTAVAIL";
            case 101 -> "ENETUNREACH";
            default -> "errno " + errno;
        };
    }
}
