package dev.basalt.networkd.netlink;

import java.io.IOException;

/** The kernel dropped netlink messages for this socket because its receive buffer was full ({@code ENOBUFS}). */
public final class NetlinkOverrunException extends IOException {
    public NetlinkOverrunException(String message) {
        super(message);
    }
}
