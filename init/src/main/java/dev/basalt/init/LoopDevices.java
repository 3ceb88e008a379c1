package dev.basalt.init;

import java.nio.file.Path;

/**
 * Attaching regular files to loop block devices (loop(4): LOOP_CTL_GET_FREE, LOOP_CONFIGURE).
 *
 * <p>Implementations are safe to call from any thread; the loop-control device hands out distinct devices.
 */
public interface LoopDevices {
    /**
     * Attaches {@code file} read-only to a free loop device.
     *
     * @return the device node, e.g. {@code /dev/loop0}
     */
    Path attachReadOnly(Path file);
}
