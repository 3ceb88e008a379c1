package dev.basalt.machined.system;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Collects orphaned processes that the kernel re-parents to PID 1, so they do not pile up as zombies.
 *
 * <p>Processes machined starts itself are collected by the JDK (which waits for every {@link Process} it
 * launched); reaping those here would steal their exit status. So everything machined launches goes through
 * {@link #start(ProcessBuilder)}, which records the pid under the same lock the reaper holds while it collects:
 * only zombies nobody owns are reaped.
 *
 * <p>Thread-safe.
 */
public final class Reaper {
    private final Kernel kernel;
    private final ProcessTable table;
    private final long self;
    private final SystemConsole console;
    private final Object lock = new Object();
    private final Set<Long> owned = new HashSet<>();

    public Reaper(Kernel kernel, ProcessTable table, long self, SystemConsole console) {
        this.kernel = kernel;
        this.table = table;
        this.self = self;
        this.console = console;
    }

    /** Starts a process that the caller waits for through {@link Process}; the reaper leaves it alone. */
    public Process start(ProcessBuilder builder) throws IOException {
        synchronized (lock) {
            Process process = builder.start();
            long pid = process.pid();
            owned.add(pid);
            process.onExit().whenComplete((p, e) -> {
                synchronized (lock) {
                    owned.remove(pid);
                }
            });
            return process;
        }
    }

    /** A collected orphan. */
    public record Reaped(long pid, String command, int status) {
    }

    /** Collects every zombie child that no {@link Process} owns; returns what it collected. */
    public List<Reaped> reapOnce() {
        List<Reaped> reaped = new ArrayList<>();
        synchronized (lock) {
            for (ProcessTable.Entry zombie : table.zombieChildrenOf(self)) {
                if (owned.contains(zombie.pid())) {
                    continue;
                }
                OptionalInt status = kernel.reap(zombie.pid());
                if (status.isPresent()) {
                    reaped.add(new Reaped(zombie.pid(), zombie.command(), status.getAsInt()));
                }
            }
        }
        for (Reaped r : reaped) {
            console.line("reaper", "reaped orphan pid " + r.pid() + " (" + r.command() + ") " + describe(r.status()));
        }
        return reaped;
    }

    /** Runs {@link #reapOnce()} every {@code period} on a virtual thread, for the life of the process. */
    public Thread startLoop(Duration period) {
        return Thread.ofVirtual().name("reaper").start(() -> {
            while (true) {
                try {
                    reapOnce();
                    Thread.sleep(period);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    console.failure("reaper", "reaping failed", e);
                    try {
                        Thread.sleep(period);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        });
    }

    /** The wait status in words (see wait(2): WIFEXITED, WEXITSTATUS, WTERMSIG). */
    static String describe(int status) {
        int signal = status & 0x7f;
        if (signal == 0) {
            return "exited " + ((status >> 8) & 0xff);
        }
        return "killed by signal " + signal;
    }
}
