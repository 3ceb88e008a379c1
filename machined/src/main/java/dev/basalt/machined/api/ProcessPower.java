package dev.basalt.machined.api;

import java.time.Duration;
import java.util.UUID;

/**
 * {@link PowerControl} for machined running as an ordinary process: "shutdown" stops this process (the
 * node it stands for goes away), "reboot" is refused because a process cannot reboot the host it shares.
 *
 * <p>Thread-safe.
 */
public final class ProcessPower implements PowerControl {
    private final Runnable stop;
    private final Duration grace;

    /**
     * @param stop  stops the API and exits; run on its own thread after {@code grace}
     * @param grace lets the reply reach the caller first
     */
    public ProcessPower(Runnable stop, Duration grace) {
        this.stop = stop;
        this.grace = grace;
    }

    @Override
    public Decision reboot(boolean powercycle) {
        return new Refused("reboot needs machined as PID 1; this machined is an ordinary process (pid "
                + ProcessHandle.current().pid() + ")");
    }

    @Override
    public Decision shutdown(boolean force) {
        String actor = UUID.randomUUID().toString();
        Thread.ofVirtual().name("shutdown").start(() -> {
            try {
                Thread.sleep(grace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stop.run();
        });
        return new Scheduled(actor);
    }
}
