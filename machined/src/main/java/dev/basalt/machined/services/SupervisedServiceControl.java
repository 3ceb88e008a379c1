package dev.basalt.machined.services;

import dev.basalt.machined.api.ServiceControl;
import dev.basalt.machined.api.ServiceLog;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The node API's view ({@link ServiceControl}) of a {@link Supervisor} it creates: list with Talos' state names,
 * events and health; start/stop/restart; logs (each service's {@link LogBuffer}, read as a {@link ServiceLog}).
 *
 * <p>Thread-safe.
 */
public final class SupervisedServiceControl implements ServiceControl {
    private final Supervisor supervisor;

    public SupervisedServiceControl(Clock clock, Sleeper sleeper, Duration pollInterval, int logLines,
                                    long logBytes) {
        this.supervisor = new Supervisor(clock, sleeper, pollInterval, id -> new LogBuffer(logLines, logBytes));
    }

    /** For a real node: system clock, real sleeps, 250 ms polling, 2,000 lines / 1 MiB per service. */
    public static SupervisedServiceControl system() {
        return new SupervisedServiceControl(Clock.systemUTC(), Sleeper.SYSTEM, Duration.ofMillis(250), 2_000, 1 << 20);
    }

    /** The supervisor, to register and start services. */
    public Supervisor supervisor() {
        return supervisor;
    }

    @Override
    public List<ServiceStatus> list() {
        return supervisor.list().stream().map(SupervisedServiceControl::status).toList();
    }

    static ServiceStatus status(ServiceSnapshot s) {
        List<Event> events = s.events().stream()
                .map(e -> new Event(e.message(), e.state().display(), e.at())).toList();
        HealthStatus h = s.health();
        return new ServiceStatus(s.id(), s.state().display(), events,
                new Health(h.unknown(), h.healthy(), h.lastMessage(), h.lastChange()));
    }

    @Override
    public Optional<ServiceLog> log(String id) {
        return supervisor.log(id).map(ServiceLog.class::cast);
    }

    @Override
    public Outcome start(String id) {
        return outcome(supervisor.start(id));
    }

    @Override
    public Outcome stop(String id) {
        try {
            return outcome(supervisor.stop(id));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Refused("stopping service '" + id + "' was interrupted");
        }
    }

    @Override
    public Outcome restart(String id) {
        try {
            return outcome(supervisor.restart(id));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Refused("restarting service '" + id + "' was interrupted");
        }
    }

    private static Outcome outcome(ControlResult r) {
        return switch (r) {
            case ControlResult.Done d -> new Accepted(d.message());
            case ControlResult.UnknownService u -> new UnknownService(u.id(), u.known());
            case ControlResult.Refused f -> new Refused(f.reason());
        };
    }
}
