package dev.basalt.networkd.linux;

import dev.basalt.networkd.sntp.SystemClock;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.time.Instant;

/**
 * {@link SystemClock} for {@code CLOCK_REALTIME}: steps with {@code clock_adjtime(ADJ_SETOFFSET | ADJ_NANO)}, which
 * adds the offset in the kernel without a read-modify-write race, and slews with {@code adjtime(3)}. Stateless and
 * thread-safe.
 */
public final class LinuxSystemClock implements SystemClock {
    private static final int CLOCK_REALTIME = 0;
    private static final int ADJ_SETOFFSET = 0x0100;
    private static final int ADJ_NANO = 0x2000;
    /** {@code sizeof(struct timex)} on 64-bit Linux. */
    private static final int TIMEX_SIZE = 208;
    /** Offset of {@code struct timex.time} (a {@code struct timeval}) on 64-bit Linux. */
    private static final int TIMEX_TIME = 72;

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public void step(Duration offset) throws SyscallException {
        // The kernel wants tv_usec (here nanoseconds, with ADJ_NANO) in [0, 1e9): normalise a negative offset.
        long seconds = Math.floorDiv(offset.toNanos(), 1_000_000_000L);
        long nanos = Math.floorMod(offset.toNanos(), 1_000_000_000L);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timex = arena.allocate(TIMEX_SIZE, 8);
            timex.set(ValueLayout.JAVA_INT, 0, ADJ_SETOFFSET | ADJ_NANO);
            timex.set(ValueLayout.JAVA_LONG, TIMEX_TIME, seconds);
            timex.set(ValueLayout.JAVA_LONG, TIMEX_TIME + 8, nanos);
            Libc.clockAdjtime(CLOCK_REALTIME, timex);
        }
    }

    @Override
    public void slew(Duration offset) throws SyscallException {
        long micros = offset.toNanos() / 1000;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timeval = arena.allocate(16, 8);
            timeval.set(ValueLayout.JAVA_LONG, 0, micros / 1_000_000);
            timeval.set(ValueLayout.JAVA_LONG, 8, micros % 1_000_000);
            Libc.adjtime(timeval);
        }
    }
}
