package dev.basalt.machined.services;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A service definition: what the supervisor needs to run one daemon. A service starts once every dependency is
 * running (and healthy, if it has a health check) and every condition holds; then it is prepared and its runner
 * started; when the runner exits the restart policy decides, with {@link Backoff} between attempts.
 *
 * <p>Immutable; thread-safe. Build with {@link #builder(String)}.
 */
public record Service(String id, List<String> dependencies, List<Condition> conditions, Preparation preparation,
                      Runner runner, Optional<HealthCheck> healthCheck, RestartPolicy restartPolicy, Backoff backoff,
                      Duration stopGrace) {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    public Service {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("service id '" + id
                    + "' is invalid; expected lower-case letters, digits, '.', '_' or '-', at most 63 characters");
        }
        dependencies = List.copyOf(dependencies);
        if (dependencies.contains(id)) {
            throw new IllegalArgumentException("service '" + id + "' depends on itself");
        }
        conditions = List.copyOf(conditions);
        Objects.requireNonNull(preparation, "preparation");
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(healthCheck, "healthCheck");
        Objects.requireNonNull(restartPolicy, "restartPolicy");
        Objects.requireNonNull(backoff, "backoff");
        if (stopGrace.isNegative()) {
            throw new IllegalArgumentException("service '" + id + "' stop grace must not be negative, got " + stopGrace);
        }
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** Builds a {@link Service}; defaults: no dependencies or conditions, restart always, standard backoff, 10 s grace. */
    public static final class Builder {
        private final String id;
        private final List<String> dependencies = new ArrayList<>();
        private final List<Condition> conditions = new ArrayList<>();
        private Preparation preparation = Preparation.NONE;
        private Runner runner;
        private HealthCheck healthCheck;
        private RestartPolicy restartPolicy = RestartPolicy.ALWAYS;
        private Backoff backoff = Backoff.STANDARD;
        private Duration stopGrace = Duration.ofSeconds(10);

        private Builder(String id) {
            this.id = id;
        }

        public Builder dependsOn(String... ids) {
            dependencies.addAll(List.of(ids));
            return this;
        }

        public Builder condition(Condition condition) {
            conditions.add(Objects.requireNonNull(condition, "condition"));
            return this;
        }

        public Builder prepare(Preparation value) {
            this.preparation = Objects.requireNonNull(value, "preparation");
            return this;
        }

        public Builder runner(Runner value) {
            this.runner = value;
            return this;
        }

        public Builder healthCheck(HealthCheck value) {
            this.healthCheck = value;
            return this;
        }

        public Builder restart(RestartPolicy value) {
            this.restartPolicy = value;
            return this;
        }

        public Builder backoff(Backoff value) {
            this.backoff = value;
            return this;
        }

        /** How long a stopping run gets between SIGTERM and SIGKILL. */
        public Builder stopGrace(Duration value) {
            this.stopGrace = value;
            return this;
        }

        public Service build() {
            if (runner == null) {
                throw new IllegalArgumentException("service '" + id + "' has no runner");
            }
            return new Service(id, dependencies, conditions, preparation, runner, Optional.ofNullable(healthCheck),
                    restartPolicy, backoff, stopGrace);
        }
    }
}
