package dev.basalt.init.linux;

import dev.basalt.init.LoopDevices;
import dev.basalt.init.NativeCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link LoopDevices} through /dev/loop-control and the loop ioctls (include/uapi/linux/loop.h).
 *
 * <p>Stateless; thread-safe.
 */
public final class LinuxLoopDevices implements LoopDevices {
    private static final long LOOP_CTL_GET_FREE = 0x4C82;
    private static final long LOOP_CONFIGURE = 0x4C0A;
    private static final int LO_FLAGS_READ_ONLY = 1;
    /** struct loop_config: u32 fd, u32 block_size, struct loop_info64 (232 bytes), u64 reserved[8]. */
    private static final int LOOP_CONFIG_SIZE = 4 + 4 + 232 + 64;
    private static final int LOOP_CONFIG_FLAGS_OFFSET = 8 + 5 * 8 + 3 * 4;
    private static final int LOOP_CONFIG_FILE_NAME_OFFSET = LOOP_CONFIG_FLAGS_OFFSET + 4;
    private static final long NODE_WAIT_MILLIS = 5_000;

    @Override
    public Path attachReadOnly(Path file) {
        int control = Libc.open("/dev/loop-control", Libc.O_RDWR);
        int number;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Libc.errnoSegment(arena);
            number = Libc.check((int) Libc.IOCTL_LONG.invokeExact(capture, control, LOOP_CTL_GET_FREE, 0L),
                    capture, "ioctl LOOP_CTL_GET_FREE", "/dev/loop-control");
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("ioctl downcall failed", t);
        } finally {
            Libc.close(control);
        }
        Path device = Path.of("/dev/loop" + number);
        awaitNode(device);
        int backing = Libc.open(file.toString(), Libc.O_RDONLY);
        int loop = Libc.open(device.toString(), Libc.O_RDONLY);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment config = arena.allocate(LOOP_CONFIG_SIZE, 8);
            config.set(ValueLayout.JAVA_INT, 0, backing);
            config.set(ValueLayout.JAVA_INT, LOOP_CONFIG_FLAGS_OFFSET, LO_FLAGS_READ_ONLY);
            byte[] name = file.toString().getBytes(StandardCharsets.UTF_8);
            MemorySegment.copy(name, 0, config, ValueLayout.JAVA_BYTE, LOOP_CONFIG_FILE_NAME_OFFSET,
                    Math.min(name.length, 63));
            MemorySegment capture = Libc.errnoSegment(arena);
            Libc.check((int) Libc.IOCTL_PTR.invokeExact(capture, loop, LOOP_CONFIGURE, config),
                    capture, "ioctl LOOP_CONFIGURE", device + " <- " + file);
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("ioctl downcall failed", t);
        } finally {
            // The loop device holds its own reference to the backing file. No LO_FLAGS_AUTOCLEAR: closing our
            // descriptor before the mount opens the device would detach it again.
            Libc.close(loop);
            Libc.close(backing);
        }
        return device;
    }

    /** devtmpfs creates the node asynchronously after LOOP_CTL_GET_FREE adds the device. */
    private static void awaitNode(Path device) {
        long deadline = System.nanoTime() + NODE_WAIT_MILLIS * 1_000_000;
        while (!Files.exists(device)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("loop device node " + device + " did not appear within "
                        + NODE_WAIT_MILLIS + " ms");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + device, e);
            }
        }
    }
}
