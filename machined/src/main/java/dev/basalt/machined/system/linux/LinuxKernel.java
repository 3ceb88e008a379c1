package dev.basalt.machined.system.linux;

import dev.basalt.machined.system.Kernel;
import dev.basalt.machined.system.SystemCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.OptionalInt;

/**
 * {@link Kernel} through the C library with {@code java.lang.foreign}.
 *
 * <p>Holds only immutable method handles; thread-safe.
 */
public final class LinuxKernel implements Kernel {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final int WNOHANG = 1;
    private static final int ECHILD = 10;

    private static final MethodHandle WAITPID = handle("waitpid", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle KILL = handle("kill", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle UMOUNT2 = handle("umount2", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle REBOOT = handle("reboot", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));
    private static final MethodHandle SYNC = LINKER.downcallHandle(
            LINKER.defaultLookup().find("sync").orElseThrow(), FunctionDescriptor.ofVoid());

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name)
                        .orElseThrow(() -> new IllegalStateException("C library has no symbol " + name)),
                descriptor, Linker.Option.captureCallState("errno"));
    }

    private static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    @Override
    public OptionalInt reap(long pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE);
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            int result = (int) WAITPID.invokeExact(capture, (int) pid, status, WNOHANG);
            if (result > 0) {
                return OptionalInt.of(status.get(ValueLayout.JAVA_INT, 0));
            }
            if (result < 0 && errno(capture) != ECHILD) {
                throw new SystemCallException("waitpid", Long.toString(pid), errno(capture));
            }
            return OptionalInt.empty();
        } catch (SystemCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("waitpid downcall failed", t);
        }
    }

    @Override
    public void kill(long pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE);
            if ((int) KILL.invokeExact(capture, (int) pid, signal) < 0) {
                throw new SystemCallException("kill", pid + ", " + signal, errno(capture));
            }
        } catch (SystemCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("kill downcall failed", t);
        }
    }

    @Override
    public void sync() {
        try {
            SYNC.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("sync downcall failed", t);
        }
    }

    @Override
    public void unmount(String target, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE);
            if ((int) UMOUNT2.invokeExact(capture, arena.allocateFrom(target), flags) < 0) {
                throw new SystemCallException("umount2", target, errno(capture));
            }
        } catch (SystemCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("umount2 downcall failed", t);
        }
    }

    @Override
    public void reboot(int command) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE);
            if ((int) REBOOT.invokeExact(capture, command) < 0) {
                throw new SystemCallException("reboot", Integer.toHexString(command), errno(capture));
            }
        } catch (SystemCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("reboot downcall failed", t);
        }
    }
}
