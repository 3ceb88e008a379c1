package dev.basalt.networkd.linux;

import dev.basalt.networkd.netlink.NetlinkOverrunException;
import dev.basalt.networkd.netlink.NetlinkSocket;

import java.io.IOException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link NetlinkSocket} over {@code socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)} through {@code java.lang.foreign}.
 *
 * <p>The socket belongs to the network namespace of the thread that opened it, for its whole life. Thread-safe.
 */
public final class LinuxNetlinkSocket implements NetlinkSocket {
    private static final int NETLINK_ROUTE = 0;
    private static final int ENOBUFS = 105;
    /** Large enough for any single rtnetlink datagram the kernel sends (it caps dump datagrams at 32 KiB). */
    private static final int RECEIVE_BUFFER = 64 * 1024;

    private final DatagramDescriptor descriptor;
    private final int portId;

    private LinuxNetlinkSocket(DatagramDescriptor descriptor, int portId) {
        this.descriptor = descriptor;
        this.portId = portId;
    }

    /** Opens a socket in the calling thread's network namespace, subscribed to {@code multicastGroups}. */
    public static LinuxNetlinkSocket open(int multicastGroups) throws SyscallException {
        int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, NETLINK_ROUTE);
        try (Arena arena = Arena.ofConfined()) {
            // A bigger receive buffer keeps a burst of events (many routes at once) from overflowing with ENOBUFS.
            Libc.setsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, 1 << 20);
            Libc.setsockoptInt(fd, Libc.SOL_NETLINK, Libc.NETLINK_EXT_ACK, 1);
            MemorySegment address = sockaddr(arena, multicastGroups);
            Libc.bind(fd, address);
            MemorySegment bound = arena.allocate(12, 4);
            Libc.getsockname(fd, bound);
            return new LinuxNetlinkSocket(new DatagramDescriptor(fd), bound.get(ValueLayout.JAVA_INT, 4));
        } catch (SyscallException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** The factory for sockets in the calling thread's namespace. */
    public static NetlinkSocket.Factory factory() {
        return LinuxNetlinkSocket::open;
    }

    private static MemorySegment sockaddr(Arena arena, int groups) {
        MemorySegment address = arena.allocate(12, 4); // struct sockaddr_nl
        address.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
        address.set(ValueLayout.JAVA_INT, 4, 0); // let the kernel pick the port id
        address.set(ValueLayout.JAVA_INT, 8, groups);
        return address;
    }

    @Override
    public void send(byte[] datagram) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(datagram.length);
            MemorySegment.copy(datagram, 0, data, ValueLayout.JAVA_BYTE, 0, datagram.length);
            descriptor.send(data, sockaddr(arena, 0));
        }
    }

    @Override
    public Optional<byte[]> receive(Duration timeout) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(RECEIVE_BUFFER);
            long n;
            try {
                n = descriptor.receive(buffer, MemorySegment.NULL, timeout);
            } catch (SyscallException e) {
                if (e.errno() == ENOBUFS) {
                    throw new NetlinkOverrunException("netlink socket " + portId + " dropped messages: " + e.getMessage());
                }
                throw e;
            }
            if (n < 0) {
                return Optional.empty();
            }
            if (n > RECEIVE_BUFFER) {
                throw new SyscallException("recvfrom", 90, "netlink datagram of " + n + " bytes exceeds " + RECEIVE_BUFFER);
            }
            return Optional.of(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Override
    public int portId() {
        return portId;
    }

    @Override
    public void close() {
        descriptor.close();
    }
}
