package dev.basalt.machined.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ends the machine's run as PID 1 must: stops services, terminates what is left, syncs, unmounts and calls
 * reboot(2). A fatal error takes the same path after a delay, so the message can be read on the console; the
 * process never exits (the kernel would panic).
 *
 * <p>Thread-safe: the first request wins; later requests while one is under way are logged and ignored.
 */
public final class Power {
    /** What the machine does at the end. */
    public enum Action {
        POWER_OFF(Kernel.RB_POWER_OFF, "powering off"),
        REBOOT(Kernel.RB_AUTOBOOT, "rebooting");

        final int command;
        final String words;

        Action(int command, String words) {
            this.command = command;
            this.words = words;
        }
    }

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final Kernel kernel;
    private final SystemConsole console;
    private final Path mountinfo;
    private final List<Runnable> stoppers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean underway = new AtomicBoolean();

    public Power(Kernel kernel, SystemConsole console, Path mountinfo) {
        this.kernel = kernel;
        this.console = console;
        this.mountinfo = mountinfo;
    }

    /** Registers something to stop (newest first) before the machine goes down. */
    public void onShutdown(Runnable stopper) {
        stoppers.addFirst(stopper);
    }

    /** Orderly shutdown: stop, sync, unmount, then {@code action}. Never returns. */
    public void shutdown(Action action, String reason) {
        shutdown(action, reason, () -> { });
    }

    /**
     * Orderly shutdown that runs {@code afterUnmount} once every process is gone and the file systems are
     * unmounted, right before {@code action} (a reset wipes disks there). A failure of it is reported and the
     * action goes ahead. Never returns.
     */
    public void shutdown(Action action, String reason, Runnable afterUnmount) {
        if (!underway.compareAndSet(false, true)) {
            console.line("shutdown", "already under way; ignoring " + reason);
            parkForever();
        }
        console.line("shutdown", reason + ": stopping services");
        for (Runnable stopper : stoppers) {
            try {
                stopper.run();
            } catch (RuntimeException e) {
                console.failure("shutdown", "a service failed to stop", e);
            }
        }
        terminateOthers();
        finish(action, afterUnmount);
    }

    /** A fatal error: log, sync, unmount, wait {@code delay}, reboot. Never returns. */
    public void fatal(String what, Throwable cause, Duration delay) {
        if (!underway.compareAndSet(false, true)) {
            console.failure("fatal", what + " (while already going down)", cause);
            parkForever();
        }
        console.failure("fatal", what, cause);
        console.line("fatal", "rebooting in " + delay.toSeconds() + " s");
        try {
            kernel.sync();
            Thread.sleep(delay);
        } catch (InterruptedException | RuntimeException e) {
            console.failure("fatal", "while waiting to reboot", e);
        }
        finish(Action.REBOOT, () -> { });
    }

    /** Every process but PID 1 gets SIGTERM, then after a grace period SIGKILL (kill(-1, ...), see kill(2)). */
    private void terminateOthers() {
        try {
            kernel.kill(-1, Kernel.SIGTERM);
            long deadline = System.nanoTime() + STOP_GRACE.toNanos();
            while (ProcessHandle.current().children().anyMatch(ProcessHandle::isAlive)
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            kernel.kill(-1, Kernel.SIGKILL);
        } catch (SystemCallException e) {
            // ESRCH: there was nobody else. Anything else is reported but must not stop the shutdown.
            if (e.errno() != 3) {
                console.failure("shutdown", "terminating processes", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void finish(Action action, Runnable afterUnmount) {
        try {
            kernel.sync();
            unmountAll();
            kernel.sync();
            try {
                afterUnmount.run();
            } catch (RuntimeException e) {
                console.failure("shutdown", "before " + action.words, e);
            }
            kernel.sync();
            console.line("shutdown", action.words);
            kernel.reboot(action.command);
        } catch (RuntimeException e) {
            console.failure("shutdown", action.words + " failed", e);
        }
        parkForever();
    }

    private void unmountAll() {
        List<String> order;
        try {
            order = MountTable.parse(Files.readString(mountinfo)).unmountOrder();
        } catch (IOException | RuntimeException e) {
            console.failure("shutdown", "cannot read " + mountinfo, e);
            return;
        }
        int unmounted = 0;
        for (String target : order) {
            try {
                kernel.unmount(target, 0);
                unmounted++;
            } catch (SystemCallException e) {
                try {
                    // Busy (a moved mount still in use): detach so the data flushes when the last user goes.
                    kernel.unmount(target, Kernel.MNT_DETACH);
                    unmounted++;
                } catch (SystemCallException detachFailure) {
                    console.line("shutdown", "could not unmount " + target + ": " + detachFailure.getMessage());
                }
            }
        }
        console.line("shutdown", "unmounted " + unmounted + " of " + order.size() + " filesystems");
    }

    static void parkForever() {
        while (true) {
            try {
                Thread.sleep(Duration.ofDays(365));
            } catch (InterruptedException ignored) {
                // PID 1 must not return from here.
            }
        }
    }
}
