package dev.basalt.init;

import java.nio.file.Path;

/**
 * Loading kernel modules from files (finit_module(2)).
 *
 * <p>Implementations are safe to call from any thread.
 */
public interface Modules {
    /**
     * Loads the module in {@code file} (an uncompressed {@code .ko}).
     *
     * @return {@code true} when loaded now, {@code false} when the kernel already had it (EEXIST)
     * @throws NativeCallException for any other refusal
     */
    boolean load(Path file, String parameters);
}
