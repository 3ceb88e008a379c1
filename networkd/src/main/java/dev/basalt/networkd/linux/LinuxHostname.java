package dev.basalt.networkd.linux;

import dev.basalt.networkd.host.HostnameSetter;

/** {@link HostnameSetter} through {@code sethostname(2)}; also reads it back. Stateless and thread-safe. */
public final class LinuxHostname implements HostnameSetter {
    @Override
    public void set(String hostname) throws SyscallException {
        Libc.sethostname(hostname);
    }

    /** The current host name ({@code gethostname(2)}). */
    public String get() throws SyscallException {
        return Libc.gethostname();
    }
}
