package dev.basalt.networkd.linux;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One open datagram socket file descriptor with a close that is safe against concurrent use.
 *
 * <p>Linux does not wake a thread blocked in {@code poll} when another thread closes the descriptor, and a closed
 * number can be reused at once. So receivers poll in short slices under a read lock and {@link #close()} takes the
 * write lock: the number is never released while a call still uses it. Thread-safe.
 */
final class DatagramDescriptor {
    private static final int POLL_SLICE_MILLIS = 200;

    private final int fd;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    DatagramDescriptor(int fd) {
        this.fd = fd;
    }

    int fd() {
        return fd;
    }

    boolean closed() {
        return closed;
    }

    void send(MemorySegment data, MemorySegment address) throws SyscallException {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new SyscallException("sendto", 9, "socket closed");
            }
            Libc.sendto(fd, data, address);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Receives one datagram into {@code buffer}, waiting up to {@code timeout}; returns its length (greater than the
     * buffer when truncated) or -1 on timeout or after close.
     */
    long receive(MemorySegment buffer, MemorySegment address, Duration timeout) throws SyscallException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            lock.readLock().lock();
            try {
                if (closed) {
                    return -1;
                }
                long remainingMillis = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
                int slice = (int) Math.min(POLL_SLICE_MILLIS, remainingMillis);
                if (Libc.pollIn(fd, slice)) {
                    long n = Libc.recvfrom(fd, buffer, address);
                    if (n >= 0) {
                        return n;
                    }
                }
            } finally {
                lock.readLock().unlock();
            }
            if (System.nanoTime() - deadline >= 0) {
                return -1;
            }
        }
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        lock.writeLock().lock();
        try {
            Libc.close(fd);
        } finally {
            lock.writeLock().unlock();
        }
    }
}
