package dev.basalt.networkd.netlink;

/**
 * A netlink datagram, message or attribute does not have the shape the kernel's format requires. The message names
 * what was being read, at which offset, what was found and what was expected.
 */
public final class MalformedMessageException extends IllegalArgumentException {
    public MalformedMessageException(String message) {
        super(message);
    }
}
