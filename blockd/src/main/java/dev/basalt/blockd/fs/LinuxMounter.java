package dev.basalt.blockd.fs;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * {@link Mounter} through the mount(2) and umount2(2) system calls via {@code java.lang.foreign}.
 *
 * <p>Stateless; thread-safe.
 */
public final class LinuxMounter implements Mounter {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle MOUNT = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("mount"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle UMOUNT2 = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("umount2"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("strerror"),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private static final long MS_RDONLY = 1;

    @Override
    public void mount(Path source, Path target, String fsType, String options) throws IOException {
        mount(source, target, fsType, options, 0L);
    }

    @Override
    public void mountReadOnly(Path source, Path target, String fsType) throws IOException {
        mount(source, target, fsType, "", MS_RDONLY);
    }

    private static void mount(Path source, Path target, String fsType, String options, long flags)
            throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment data = options.isEmpty() ? MemorySegment.NULL : arena.allocateFrom(options);
            int rc = (int) MOUNT.invokeExact(state, arena.allocateFrom(source.toString()),
                    arena.allocateFrom(target.toString()), arena.allocateFrom(fsType), flags, data);
            if (rc != 0) {
                throw failure("mount " + source + " (" + fsType + ") at " + target, (int) ERRNO.get(state, 0L));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void unmount(Path target) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) UMOUNT2.invokeExact(state, arena.allocateFrom(target.toString()), 0);
            if (rc != 0) {
                throw failure("unmount " + target, (int) ERRNO.get(state, 0L));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static IOException failure(String what, int errno) {
        String text;
        try {
            text = ((MemorySegment) STRERROR.invokeExact(errno)).reinterpret(256).getString(0);
        } catch (Throwable t) {
            text = "errno " + errno;
        }
        return new IOException(what + " failed: " + text + " (errno " + errno + ")");
    }
}
