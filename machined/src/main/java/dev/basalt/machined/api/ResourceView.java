package dev.basalt.machined.api;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The read side of machined's resources as {@code cosi.resource.State} serves them. The controller runtime's
 * store implements it on a full node; {@link HostResources} computes a few types from the live machine when
 * machined runs as an ordinary process.
 *
 * <p>Implementations must be thread-safe.
 */
public interface ResourceView {
    /** One resource: identity, a version that changes whenever the spec does, and the spec as YAML. */
    record Item(String namespace, String type, String id, long version, String yamlSpec) {
    }

    /** The resource, if it exists. */
    Optional<Item> get(String namespace, String type, String id) throws IOException;

    /** All resources of a type in a namespace (empty when the type exists but has none). */
    List<Item> list(String namespace, String type) throws IOException;

    /** True if this view serves the type at all (so an unknown type is told apart from an empty list). */
    boolean knows(String type);

    /** The namespace a type lives in by default. */
    Optional<String> defaultNamespace(String type);
}
