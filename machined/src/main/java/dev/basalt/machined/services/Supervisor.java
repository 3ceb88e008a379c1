package dev.basalt.machined.services;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Function;

/**
 * machined's service supervisor. It owns the registered {@link Service}s and, for each started one, a virtual
 * thread that walks it through its life: wait for dependencies and conditions, prepare, start the runner, watch
 * its health, and on exit restart it per its policy with exponential backoff. Every state change is recorded as
 * an event (the last {@value #EVENT_LIMIT} are kept) with the supervisor's clock; every run's output goes to the
 * service's {@link LogBuffer}.
 *
 * <p>A stop request interrupts the service's thread, which terminates the run itself (SIGTERM, then SIGKILL
 * after the service's grace period), so exactly one thread ever touches a run.
 *
 * <p>Thread-safe. Time comes from the injected {@link Clock} and restart delays and health-probe periods go
 * through the injected {@link Sleeper}; waiting for dependencies uses real time bounded by the poll interval.
 */
public final class Supervisor implements AutoCloseable {
    static final int EVENT_LIMIT = 50;
    /** Extra time a stop request waits beyond the service's grace period for SIGKILL to take effect. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration pollInterval;
    private final Function<String, LogBuffer> logs;
    private final ReentrantLock lock = new ReentrantLock();
    private final java.util.concurrent.locks.Condition changed = lock.newCondition();
    private final Map<String, Unit> units = new LinkedHashMap<>();

    /**
     * @param logs makes the log buffer of a service, given its id, when the service is registered
     */
    public Supervisor(Clock clock, Sleeper sleeper, Duration pollInterval, Function<String, LogBuffer> logs) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.pollInterval = pollInterval;
        this.logs = logs;
    }

    /** The supervisor of a real node: system clock, real sleeps, 250 ms polling, standard log buffers. */
    public static Supervisor system() {
        return new Supervisor(Clock.systemUTC(), Sleeper.SYSTEM, Duration.ofMillis(250), id -> LogBuffer.standard());
    }

    /** Adds a service; fails if the id is taken. Its dependencies are checked when it is started. */
    public void register(Service service) {
        lock.lock();
        try {
            if (units.containsKey(service.id())) {
                throw new IllegalArgumentException("service '" + service.id() + "' is already registered");
            }
            Unit u = new Unit(service, logs.apply(service.id()));
            units.put(service.id(), u);
            u.record(ServiceState.INITIALIZED, "Service registered", clock.instant());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ids in registration order. */
    public List<String> ids() {
        lock.lock();
        try {
            return List.copyOf(units.keySet());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts every registered service that is not running, in dependency order (each one still waits for its
     * dependencies to be up before it starts its runner). Fails, starting nothing, when a dependency is unknown
     * or the dependencies form a cycle.
     */
    public void startAll() {
        List<String> order = dependencyOrder();
        for (String id : order) {
            start(id);
        }
    }

    /** The registered ids sorted so that each comes after its dependencies. */
    public List<String> dependencyOrder() {
        Map<String, List<String>> graph = new LinkedHashMap<>();
        lock.lock();
        try {
            units.forEach((id, u) -> graph.put(id, u.service.dependencies()));
        } finally {
            lock.unlock();
        }
        for (var e : graph.entrySet()) {
            for (String dep : e.getValue()) {
                if (!graph.containsKey(dep)) {
                    throw new IllegalStateException("service '" + e.getKey() + "' depends on '" + dep
                            + "', which is not registered (registered: " + String.join(", ", graph.keySet()) + ")");
                }
            }
        }
        List<String> order = new ArrayList<>();
        Map<String, Integer> mark = new HashMap<>();
        for (String id : graph.keySet()) {
            visit(id, graph, mark, order, new ArrayList<>());
        }
        return order;
    }

    private static void visit(String id, Map<String, List<String>> graph, Map<String, Integer> mark, List<String> order,
                              List<String> path) {
        Integer m = mark.get(id);
        if (m != null && m == 2) {
            return;
        }
        path.add(id);
        if (m != null) {
            throw new IllegalStateException("service dependencies form a cycle: " + String.join(" -> ", path));
        }
        mark.put(id, 1);
        for (String dep : graph.get(id)) {
            visit(dep, graph, mark, order, path);
        }
        mark.put(id, 2);
        path.removeLast();
        order.add(id);
    }

    /** Starts a service's life-cycle thread unless it is already active. */
    public ControlResult start(String id) {
        lock.lock();
        try {
            Unit u = units.get(id);
            if (u == null) {
                return unknown(id);
            }
            for (String dep : u.service.dependencies()) {
                if (!units.containsKey(dep)) {
                    return new ControlResult.Refused("service '" + id + "' depends on '" + dep
                            + "', which is not registered");
                }
            }
            if (u.active()) {
                return new ControlResult.Refused("service '" + id + "' is already active (state "
                        + u.state.display() + ")");
            }
            u.stopRequested = false;
            u.loop = Thread.ofVirtual().name("service-" + id).start(() -> life(u));
            return new ControlResult.Done("Service \"" + id + "\" started");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops a service and waits (bounded by its grace period plus a margin for SIGKILL) until its run has
     * exited. A service that is not active is refused with its state.
     */
    public ControlResult stop(String id) throws InterruptedException {
        Thread loop;
        Duration wait;
        lock.lock();
        try {
            Unit u = units.get(id);
            if (u == null) {
                return unknown(id);
            }
            if (!u.active()) {
                return new ControlResult.Refused("service '" + id + "' is not running (state " + u.state.display()
                        + ")");
            }
            u.stopRequested = true;
            loop = u.loop;
            wait = u.service.stopGrace().plus(KILL_WAIT);
        } finally {
            lock.unlock();
        }
        loop.interrupt();
        if (!loop.join(wait)) {
            return new ControlResult.Refused("service '" + id + "' did not stop within " + wait.toSeconds() + " s");
        }
        return new ControlResult.Done("Service \"" + id + "\" stopped");
    }

    /** Stops the service if active, then starts it. */
    public ControlResult restart(String id) throws InterruptedException {
        ControlResult stopped = stop(id);
        if (stopped instanceof ControlResult.UnknownService
                || (stopped instanceof ControlResult.Refused r && r.reason().contains("did not stop"))) {
            return stopped;
        }
        ControlResult started = start(id);
        if (started instanceof ControlResult.Done) {
            return new ControlResult.Done("Service \"" + id + "\" restarted");
        }
        return started;
    }

    /** Every registered service, in registration order. */
    public List<ServiceSnapshot> list() {
        lock.lock();
        try {
            return units.values().stream().map(Unit::snapshot).toList();
        } finally {
            lock.unlock();
        }
    }

    public Optional<ServiceSnapshot> status(String id) {
        lock.lock();
        try {
            return Optional.ofNullable(units.get(id)).map(Unit::snapshot);
        } finally {
            lock.unlock();
        }
    }

    public Optional<LogBuffer> log(String id) {
        lock.lock();
        try {
            return Optional.ofNullable(units.get(id)).map(u -> u.log);
        } finally {
            lock.unlock();
        }
    }

    /** Waits (real time, at most {@code timeout}) until the service's snapshot matches; false on timeout. */
    public boolean await(String id, Predicate<ServiceSnapshot> test, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            Unit u = units.get(id);
            if (u == null) {
                throw new IllegalArgumentException("service '" + id + "' is not registered");
            }
            while (!test.test(u.snapshot())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops every active service, dependents before their dependencies. */
    @Override
    public void close() throws InterruptedException {
        List<String> order;
        try {
            order = new ArrayList<>(dependencyOrder());
        } catch (IllegalStateException e) {
            order = ids();
        }
        for (String id : order.reversed()) {
            stop(id);
        }
    }

    private ControlResult unknown(String id) {
        return new ControlResult.UnknownService(id, List.copyOf(units.keySet()));
    }

    private void transition(Unit u, ServiceState state, String message) {
        lock.lock();
        try {
            u.record(state, message, clock.instant());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- the life of one service, on its own virtual thread ----

    private void life(Unit u) {
        Service s = u.service;
        int attempt = 0;
        try {
            while (!u.stopRequested) {
                awaitPrerequisites(u);
                transition(u, ServiceState.PREPARING, "Running pre state");
                String failure = null;
                try {
                    s.preparation().prepare();
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    failure = "Failed to prepare: " + describe(e);
                }
                Instant started = clock.instant();
                if (failure == null) {
                    transition(u, ServiceState.STARTING, "Starting service");
                    Runner.Run run;
                    try {
                        run = s.runner().start(u.log);
                    } catch (Exception e) {
                        run = null;
                        failure = "Failed to start " + s.runner().description() + ": " + describe(e);
                    }
                    if (run != null) {
                        Runner.ExitStatus status = supervise(u, run);
                        if (u.stopRequested) {
                            transition(u, ServiceState.FINISHED, "Service stopped (" + status.description() + ")");
                            return;
                        }
                        if (status.success()) {
                            transition(u, ServiceState.FINISHED, "Service finished successfully");
                            if (s.restartPolicy() != RestartPolicy.ALWAYS) {
                                return;
                            }
                        } else {
                            failure = "Service " + status.description();
                        }
                    }
                }
                if (failure != null) {
                    transition(u, ServiceState.FAILED, failure);
                    if (s.restartPolicy() == RestartPolicy.NEVER) {
                        return;
                    }
                }
                if (Duration.between(started, clock.instant()).compareTo(s.backoff().stableAfter()) >= 0) {
                    attempt = 0;
                }
                attempt++;
                Duration delay = s.backoff().delay(attempt);
                lock.lock();
                try {
                    u.restarts++;
                    u.record(u.state, "Restarting in " + human(delay) + " (attempt " + attempt + ")", clock.instant());
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                sleeper.sleep(delay);
            }
        } catch (InterruptedException e) {
            transition(u, ServiceState.FINISHED, "Service stopped");
        } catch (RuntimeException e) {
            // A bug in a preparation, condition or health check must not take the supervisor down with it.
            transition(u, ServiceState.FAILED, "Supervisor error: " + describe(e));
        }
    }

    /** Waits until dependencies are up and conditions hold; throws InterruptedException on a stop request. */
    private void awaitPrerequisites(Unit u) throws InterruptedException {
        String lastWaiting = null;
        while (true) {
            if (u.stopRequested) {
                throw new InterruptedException("stop requested");
            }
            List<String> unmet = new ArrayList<>();
            lock.lock();
            try {
                for (String dep : u.service.dependencies()) {
                    Unit d = units.get(dep);
                    if (d.state != ServiceState.RUNNING
                            || !d.health.upForDependents(d.service.healthCheck().isPresent())) {
                        unmet.add("service \"" + dep + "\"");
                    }
                }
            } finally {
                lock.unlock();
            }
            for (Condition c : u.service.conditions()) {
                boolean ok;
                try {
                    ok = c.satisfied();
                } catch (RuntimeException e) {
                    ok = false;
                }
                if (!ok) {
                    unmet.add(c.description());
                }
            }
            if (unmet.isEmpty()) {
                return;
            }
            String waiting = "Waiting for " + String.join(", ", unmet);
            lock.lock();
            try {
                if (!waiting.equals(lastWaiting)) {
                    u.record(ServiceState.WAITING, waiting, clock.instant());
                    changed.signalAll();
                    lastWaiting = waiting;
                }
                changed.await(pollInterval.toNanos(), TimeUnit.NANOSECONDS);
            } finally {
                lock.unlock();
            }
        }
    }

    /** Runs until the process exits or a stop request arrives; returns how it ended. */
    private Runner.ExitStatus supervise(Unit u, Runner.Run run) {
        lock.lock();
        try {
            u.pid = run.pid().orElse(null);
            u.health = HealthStatus.UNKNOWN;
            u.record(ServiceState.RUNNING, run.pid().map(p -> "Service started as PID " + p).orElse("Service started"),
                    clock.instant());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        Thread health = u.service.healthCheck().map(check -> Thread.ofVirtual().name("health-" + u.service.id())
                .start(() -> probeLoop(u, check))).orElse(null);
        Runner.ExitStatus status;
        try {
            status = run.awaitExit();
        } catch (InterruptedException e) {
            status = terminate(u, run);
        } finally {
            if (health != null) {
                health.interrupt();
            }
        }
        lock.lock();
        try {
            u.pid = null;
            if (health != null) {
                u.health = HealthStatus.UNKNOWN;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return status;
    }

    private Runner.ExitStatus terminate(Unit u, Runner.Run run) {
        transition(u, ServiceState.STOPPING, "Sending SIGTERM to " + u.service.runner().description());
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    run.terminate();
                    Optional<Runner.ExitStatus> exit = run.awaitExit(u.service.stopGrace());
                    if (exit.isPresent()) {
                        return exit.get();
                    }
                    transition(u, ServiceState.STOPPING, "Did not exit within " + human(u.service.stopGrace())
                            + "; sending SIGKILL");
                    run.kill();
                    return run.awaitExit(KILL_WAIT).orElse(new Runner.ExitStatus(-1,
                            "did not exit even after SIGKILL"));
                } catch (InterruptedException again) {
                    // A second stop request while stopping: keep stopping.
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void probeLoop(Unit u, HealthCheck check) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                HealthResult result;
                try {
                    result = check.probe(check.timeout());
                } catch (RuntimeException e) {
                    result = HealthResult.unhealthy("health check error: " + describe(e));
                }
                boolean healthy = result instanceof HealthResult.Healthy;
                lock.lock();
                try {
                    if (u.state != ServiceState.RUNNING || Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    HealthStatus before = u.health;
                    Instant now = clock.instant();
                    boolean flipped = before.unknown() || before.healthy() != healthy;
                    u.health = new HealthStatus(false, healthy, result.message(),
                            flipped ? Optional.of(now) : before.lastChange());
                    if (flipped) {
                        u.record(ServiceState.RUNNING, healthy ? "Health check successful"
                                : "Health check failed: " + result.message(), now);
                    }
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                sleeper.sleep(check.period());
            }
        } catch (InterruptedException e) {
            // The run ended or is being stopped.
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static String human(Duration d) {
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }

    /** Mutable state of one registered service; guarded by the supervisor's lock. */
    private static final class Unit {
        final Service service;
        final LogBuffer log;
        final ArrayDeque<ServiceEvent> events = new ArrayDeque<>();
        ServiceState state = ServiceState.INITIALIZED;
        String message = "";
        HealthStatus health = HealthStatus.UNKNOWN;
        Long pid;
        int restarts;
        Thread loop;
        volatile boolean stopRequested;

        Unit(Service service, LogBuffer log) {
            this.service = service;
            this.log = log;
        }

        boolean active() {
            return loop != null && loop.isAlive();
        }

        void record(ServiceState newState, String newMessage, Instant at) {
            state = newState;
            message = newMessage;
            events.addLast(new ServiceEvent(newState, newMessage, at));
            while (events.size() > EVENT_LIMIT) {
                events.removeFirst();
            }
        }

        ServiceSnapshot snapshot() {
            return new ServiceSnapshot(service.id(), state, message, List.copyOf(events), health,
                    Optional.ofNullable(pid), restarts);
        }
    }

}
