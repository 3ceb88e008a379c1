package dev.basalt.networkd.linux;

import dev.basalt.networkd.packet.PacketSocket;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Optional;

/**
 * {@link PacketSocket} over {@code socket(AF_PACKET, SOCK_DGRAM, etherType)} bound to one interface.
 *
 * <p>Frames this host sent ({@code PACKET_OUTGOING}) are skipped on receive. Thread-safe.
 */
public final class LinuxPacketSocket implements PacketSocket {
    private static final int PACKET_BROADCAST = 1;
    private static final int PACKET_OUTGOING = 4;
    private static final int SOCKADDR_LL_SIZE = 20;
    private static final int MAX_FRAME = 65536;
    private static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final DatagramDescriptor descriptor;
    private final int interfaceIndex;
    private final int etherType;
    private final byte[] hardwareAddress;

    private LinuxPacketSocket(DatagramDescriptor descriptor, int interfaceIndex, int etherType, byte[] hardwareAddress) {
        this.descriptor = descriptor;
        this.interfaceIndex = interfaceIndex;
        this.etherType = etherType;
        this.hardwareAddress = hardwareAddress;
    }

    /** Opens a socket in the calling thread's network namespace. */
    public static LinuxPacketSocket open(int interfaceIndex, int etherType) throws SyscallException {
        if (interfaceIndex <= 0) {
            throw new IllegalArgumentException("interface index must be positive, got " + interfaceIndex);
        }
        if (etherType <= 0 || etherType > 0xffff) {
            throw new IllegalArgumentException("EtherType must be 1..0xffff, got " + etherType);
        }
        int protocol = Short.toUnsignedInt(Short.reverseBytes((short) etherType));
        int fd = Libc.socket(Libc.AF_PACKET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, protocol);
        try (Arena arena = Arena.ofConfined()) {
            Libc.bind(fd, sockaddr(arena, interfaceIndex, etherType, new byte[0]));
            MemorySegment bound = arena.allocate(SOCKADDR_LL_SIZE, 4);
            Libc.getsockname(fd, bound);
            int length = Byte.toUnsignedInt(bound.get(ValueLayout.JAVA_BYTE, 11));
            byte[] mac = bound.asSlice(12, Math.min(length, 8)).toArray(ValueLayout.JAVA_BYTE);
            return new LinuxPacketSocket(new DatagramDescriptor(fd), interfaceIndex, etherType, mac);
        } catch (SyscallException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** The factory for sockets in the calling thread's namespace. */
    public static PacketSocket.Factory factory() {
        return LinuxPacketSocket::open;
    }

    private static MemorySegment sockaddr(Arena arena, int index, int etherType, byte[] mac) {
        MemorySegment address = arena.allocate(SOCKADDR_LL_SIZE, 4); // struct sockaddr_ll
        address.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_PACKET);
        address.set(NET_SHORT, 2, (short) etherType);
        address.set(ValueLayout.JAVA_INT, 4, index);
        address.set(ValueLayout.JAVA_BYTE, 11, (byte) mac.length);
        MemorySegment.copy(mac, 0, address, ValueLayout.JAVA_BYTE, 12, mac.length);
        return address;
    }

    @Override
    public void send(byte[] payload, byte[] destinationMac) throws SyscallException {
        if (destinationMac.length != 6) {
            throw new IllegalArgumentException("destination MAC must be 6 bytes, got " + destinationMac.length);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Math.max(1, payload.length));
            MemorySegment.copy(payload, 0, data, ValueLayout.JAVA_BYTE, 0, payload.length);
            descriptor.send(data.asSlice(0, payload.length), sockaddr(arena, interfaceIndex, etherType, destinationMac));
        }
    }

    @Override
    public Optional<Frame> receive(Duration timeout) throws SyscallException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(MAX_FRAME);
            MemorySegment from = arena.allocate(SOCKADDR_LL_SIZE, 4);
            while (true) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                long n = descriptor.receive(buffer, from, left);
                if (n < 0) {
                    return Optional.empty();
                }
                int packetType = Byte.toUnsignedInt(from.get(ValueLayout.JAVA_BYTE, 10));
                if (packetType != PACKET_OUTGOING) {
                    int macLength = Math.min(8, Byte.toUnsignedInt(from.get(ValueLayout.JAVA_BYTE, 11)));
                    byte[] payload = buffer.asSlice(0, Math.min(n, MAX_FRAME)).toArray(ValueLayout.JAVA_BYTE);
                    byte[] mac = from.asSlice(12, macLength).toArray(ValueLayout.JAVA_BYTE);
                    return Optional.of(new Frame(payload, mac, packetType == PACKET_BROADCAST));
                }
                if (System.nanoTime() - deadline >= 0) {
                    return Optional.empty();
                }
            }
        }
    }

    @Override
    public byte[] hardwareAddress() {
        return hardwareAddress.clone();
    }

    @Override
    public void close() {
        descriptor.close();
    }
}
