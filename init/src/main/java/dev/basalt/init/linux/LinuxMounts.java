package dev.basalt.init.linux;

import dev.basalt.init.Mounts;
import dev.basalt.init.NativeCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@link Mounts} through mount(2) in the C library.
 *
 * <p>Stateless; thread-safe.
 */
public final class LinuxMounts implements Mounts {
    @Override
    public void mount(String source, String target, String fstype, long flags, String data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Libc.errnoSegment(arena);
            int result = (int) Libc.MOUNT.invokeExact(capture, Libc.string(arena, source),
                    Libc.string(arena, target), Libc.string(arena, fstype), flags, Libc.string(arena, data));
            Libc.check(result, capture, "mount", source + " -> " + target + ", " + fstype);
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mount downcall failed", t);
        }
    }
}
