package dev.basalt.machined.services;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Something that must hold before a service is prepared and started (a file exists, the network is ready,
 * etcd has been bootstrapped). The supervisor polls it while the service is {@link ServiceState#WAITING}.
 *
 * <p>Implementations must be thread-safe.
 */
public interface Condition {
    /** Shown in the service's events while it waits, e.g. {@code file /run/containerd/containerd.sock exists}. */
    String description();

    boolean satisfied();

    /** Holds once {@code path} exists. */
    static Condition fileExists(Path path) {
        Objects.requireNonNull(path, "path");
        return new Named("file " + path + " exists", () -> Files.exists(path));
    }

    /** A condition defined by its owner (networkd's "network ready", the etcd bootstrap flag). */
    static Condition of(String description, BooleanSupplier check) {
        return new Named(description, check);
    }

    /** A condition with a fixed description and a supplier. */
    record Named(String description, BooleanSupplier check) implements Condition {
        public Named {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(check, "check");
        }

        @Override
        public boolean satisfied() {
            return check.getAsBoolean();
        }
    }
}
