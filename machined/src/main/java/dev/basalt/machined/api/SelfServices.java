package dev.basalt.machined.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link ServiceControl} for a machined that supervises nothing (an ordinary process on a developer machine
 * or in tests): the only service is machined itself, running since it started, with its own log.
 *
 * <p>Immutable; thread-safe.
 */
public final class SelfServices implements ServiceControl {
    public static final String MACHINED = "machined";

    private final ServiceLog log;
    private final Instant started;

    /** @param log machined's own log, written by whoever runs it */
    public SelfServices(ServiceLog log, Instant started) {
        this.log = log;
        this.started = started;
    }

    @Override
    public List<ServiceStatus> list() {
        return List.of(new ServiceStatus(MACHINED, "Running",
                List.of(new Event("Service started", "Running", started)),
                new Health(true, false, "", Optional.empty())));
    }

    @Override
    public Optional<ServiceLog> log(String id) {
        return MACHINED.equals(id) ? Optional.of(log) : Optional.empty();
    }

    @Override
    public Outcome start(String id) {
        return refuse(id, "start");
    }

    @Override
    public Outcome stop(String id) {
        return refuse(id, "stop");
    }

    @Override
    public Outcome restart(String id) {
        return refuse(id, "restart");
    }

    private static Outcome refuse(String id, String verb) {
        if (!MACHINED.equals(id)) {
            return new UnknownService(id, List.of(MACHINED));
        }
        return new Refused("cannot " + verb + " service \"machined\": it is the process serving this API");
    }
}
