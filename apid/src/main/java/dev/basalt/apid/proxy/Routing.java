package dev.basalt.apid.proxy;

import dev.basalt.machinery.api.MetadataKeys;
import io.grpc.Metadata;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Where a call goes, from its {@code node}/{@code nodes} metadata.
 *
 * <p>Immutable; thread-safe.
 */
public sealed interface Routing {
    Metadata.Key<String> NODE = Metadata.Key.of(MetadataKeys.NODE, Metadata.ASCII_STRING_MARSHALLER);
    Metadata.Key<String> NODES = Metadata.Key.of(MetadataKeys.NODES, Metadata.ASCII_STRING_MARSHALLER);

    /** No routing metadata: this node's machined answers. */
    record Local() implements Routing {
    }

    /** {@code node}: relay transparently to that node. */
    record One(String node) implements Routing {
    }

    /** {@code nodes}: fan out and aggregate (duplicates removed, order kept). */
    record Many(List<String> nodes) implements Routing {
        public Many {
            nodes = List.copyOf(nodes);
        }
    }

    /** Reads the routing of a call; fails with a message naming the bad value. */
    static Routing of(Metadata headers) {
        Iterable<String> node = headers.getAll(NODE);
        Iterable<String> nodes = headers.getAll(NODES);
        List<String> single = split(node);
        List<String> many = split(nodes);
        if (!single.isEmpty() && !many.isEmpty()) {
            throw new IllegalArgumentException("both \"node\" " + single + " and \"nodes\" " + many
                    + " metadata given; expected one of them");
        }
        if (single.size() > 1) {
            throw new IllegalArgumentException("\"node\" metadata names " + single
                    + "; expected exactly one node (use \"nodes\" to fan out)");
        }
        if (single.size() == 1) {
            return new One(single.getFirst());
        }
        if (!many.isEmpty()) {
            return new Many(many);
        }
        return new Local();
    }

    private static List<String> split(Iterable<String> values) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        if (values != null) {
            for (String value : values) {
                for (String part : value.split(",")) {
                    String trimmed = part.trim();
                    if (!trimmed.isEmpty()) {
                        out.add(trimmed);
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }
}
