package dev.basalt.init.linux;

import dev.basalt.init.NativeCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Downcall handles into the C library for the calls init's native implementations make, each capturing errno.
 *
 * <p>Owns nothing but immutable method handles; thread-safe. Callers pass an {@link Arena} for strings and the
 * errno capture segment so that no native memory outlives a call.
 */
final class Libc {
    static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_CLOEXEC = 0x80000;

    /** System call numbers for calls glibc does not wrap (arch/x86/entry/syscalls, include/uapi/asm-generic/unistd.h). */
    static final long SYS_FINIT_MODULE = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 313;
        case "aarch64" -> 273;
        default -> throw new IllegalStateException("unsupported architecture " + System.getProperty("os.arch")
                + ": expected amd64 or aarch64");
    };

    static final MethodHandle MOUNT = handle("mount", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    static final MethodHandle OPEN = handle("open", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Linker.Option.firstVariadicArg(2));
    static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    static final MethodHandle IOCTL_LONG = handle("ioctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(2));
    static final MethodHandle IOCTL_PTR = handle("ioctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), Linker.Option.firstVariadicArg(2));
    static final MethodHandle SYSCALL3 = handle("syscall", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(1));
    static final MethodHandle CHDIR = handle("chdir", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    static final MethodHandle CHROOT = handle("chroot", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    static final MethodHandle EXECVE = handle("execve", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    static final MethodHandle SYNC = LINKER.downcallHandle(LINKER.defaultLookup().find("sync").orElseThrow(),
            FunctionDescriptor.ofVoid());
    static final MethodHandle REBOOT = handle("reboot", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private Libc() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = CAPTURE_ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("C library has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor, all);
    }

    static MemorySegment errnoSegment(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    /** A C string, or NULL for {@code null}. */
    static MemorySegment string(Arena arena, String value) {
        return value == null ? MemorySegment.NULL : arena.allocateFrom(value);
    }

    static int check(int result, MemorySegment capture, String call, String subject) {
        if (result < 0) {
            throw new NativeCallException(call, subject, errno(capture));
        }
        return result;
    }

    static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = errnoSegment(arena);
            int fd = (int) OPEN.invokeExact(capture, string(arena, path), flags | O_CLOEXEC, 0);
            return check(fd, capture, "open", path);
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("open(" + path + ") downcall failed", t);
        }
    }

    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(errnoSegment(arena), fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close(" + fd + ") downcall failed", t);
        }
    }
}
