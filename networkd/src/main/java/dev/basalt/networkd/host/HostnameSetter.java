package dev.basalt.networkd.host;

import java.io.IOException;

/** Sets the kernel's host name ({@code sethostname(2)}) for the caller's UTS namespace. Implementations are thread-safe. */
@FunctionalInterface
public interface HostnameSetter {
    void set(String hostname) throws IOException;
}
