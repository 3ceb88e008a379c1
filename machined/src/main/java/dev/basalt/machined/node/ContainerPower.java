package dev.basalt.machined.node;

import dev.basalt.machined.api.PowerControl;
import java.time.Duration;
import java.util.UUID;

/**
 * Power control of a node on the container platform: there is no kernel of its own to reboot, so Reboot is
 * refused (the container is restarted from outside), and Shutdown stops the services and ends machined, which
 * ends the container.
 *
 * <p>Thread-safe.
 */
final class ContainerPower implements PowerControl {
    private final Runnable stop;
    private final Duration grace;

    /**
     * @param stop  stops the services and exits; runs on its own thread after {@code grace}
     * @param grace lets the reply reach the caller first
     */
    ContainerPower(Runnable stop, Duration grace) {
        this.stop = stop;
        this.grace = grace;
    }

    @Override
    public Decision reboot(boolean powercycle) {
        return new Refused("the node runs on the container platform and has no kernel of its own to reboot; "
                + "restart its container instead");
    }

    @Override
    public Decision shutdown(boolean force) {
        String actor = UUID.randomUUID().toString();
        Thread.ofPlatform().name("shutdown").start(() -> {
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
