package dev.basalt.init.linux;

import dev.basalt.init.NativeCallException;
import dev.basalt.init.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * {@link Syscalls} through the C library.
 *
 * <p>Stateless; thread-safe.
 */
public final class LinuxSyscalls implements Syscalls {
    @Override
    public void chdir(String path) {
        pathCall(Libc.CHDIR, "chdir", path);
    }

    @Override
    public void chroot(String path) {
        pathCall(Libc.CHROOT, "chroot", path);
    }

    private static void pathCall(java.lang.invoke.MethodHandle handle, String call, String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Libc.errnoSegment(arena);
            Libc.check((int) handle.invokeExact(capture, arena.allocateFrom(path)), capture, call, path);
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(call + " downcall failed", t);
        }
    }

    @Override
    public void execve(String path, List<String> argv, List<String> env) {
        // The arena is never closed on success: the process image it lives in is replaced.
        Arena arena = Arena.ofConfined();
        try {
            MemorySegment capture = Libc.errnoSegment(arena);
            int result = (int) Libc.EXECVE.invokeExact(capture, arena.allocateFrom(path),
                    stringArray(arena, argv), stringArray(arena, env));
            Libc.check(result, capture, "execve", path);
            throw new IllegalStateException("execve(" + path + ") returned " + result);
        } catch (NativeCallException | IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("execve downcall failed", t);
        } finally {
            arena.close();
        }
    }

    private static MemorySegment stringArray(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ValueLayout.ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ValueLayout.ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    @Override
    public void sync() {
        try {
            Libc.SYNC.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("sync downcall failed", t);
        }
    }

    @Override
    public void reboot(int command) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Libc.errnoSegment(arena);
            Libc.check((int) Libc.REBOOT.invokeExact(capture, command), capture, "reboot",
                    Integer.toHexString(command));
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("reboot downcall failed", t);
        }
    }
}
