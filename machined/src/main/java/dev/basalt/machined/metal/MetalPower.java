package dev.basalt.machined.metal;

import dev.basalt.machined.api.PowerControl;
import dev.basalt.machined.system.Power;
import java.time.Duration;
import java.util.UUID;

/**
 * Reboot and power-off of a metal node through PID 1's {@link Power}: the action starts on its own thread after
 * a short delay so that the API reply reaches the caller first.
 *
 * <p>Thread-safe.
 */
public final class MetalPower implements PowerControl {
    private static final Duration REPLY_GRACE = Duration.ofMillis(500);
    private final Power power;

    public MetalPower(Power power) {
        this.power = power;
    }

    @Override
    public Decision reboot(boolean powercycle) {
        return schedule(Power.Action.REBOOT, "reboot requested through the API");
    }

    @Override
    public Decision shutdown(boolean force) {
        return schedule(Power.Action.POWER_OFF, "shutdown requested through the API");
    }

    /**
     * Schedules {@code action} like a reboot or shutdown request, running {@code beforeShutdown} on the power
     * thread first and {@code afterUnmount} once the file systems are unmounted (a reset's leave and wipe).
     */
    public Decision schedule(Power.Action action, String reason, Runnable beforeShutdown, Runnable afterUnmount) {
        String actor = UUID.randomUUID().toString();
        Thread.ofPlatform().name("power-" + action.name().toLowerCase()).start(() -> {
            try {
                Thread.sleep(REPLY_GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            beforeShutdown.run();
            power.shutdown(action, reason, afterUnmount);
        });
        return new Scheduled(actor);
    }

    private Decision schedule(Power.Action action, String reason) {
        return schedule(action, reason, () -> { }, () -> { });
    }
}
