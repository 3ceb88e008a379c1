package dev.basalt.init.linux;

import dev.basalt.init.Errno;
import dev.basalt.init.Modules;
import dev.basalt.init.NativeCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * {@link Modules} through the finit_module(2) system call (glibc has no wrapper).
 *
 * <p>Stateless; thread-safe.
 */
public final class LinuxModules implements Modules {
    @Override
    public boolean load(Path file, String parameters) {
        int fd = Libc.open(file.toString(), Libc.O_RDONLY);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Libc.errnoSegment(arena);
            long result = (long) Libc.SYSCALL3.invokeExact(capture, Libc.SYS_FINIT_MODULE, fd,
                    arena.allocateFrom(parameters == null ? "" : parameters), 0);
            if (result < 0) {
                int errno = Libc.errno(capture);
                if (errno == Errno.EEXIST) {
                    return false;
                }
                throw new NativeCallException("finit_module", file.toString(), errno);
            }
            return true;
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("finit_module downcall failed", t);
        } finally {
            Libc.close(fd);
        }
    }
}
