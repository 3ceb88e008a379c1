package dev.basalt.machinery.clientconfig;

import java.util.List;
import java.util.Objects;

/**
 * One named context of a client config: where to connect and with which credentials.
 *
 * @param endpoints apid addresses tried in order ({@code host} or {@code host:port}; port 50000 by default)
 * @param nodes     default target nodes sent as routing metadata
 * @param ca        base64 of the OS CA certificate PEM
 * @param crt       base64 of the client certificate PEM
 * @param key       base64 of the client key PEM
 */
public record ClientContext(List<String> endpoints, List<String> nodes, String ca, String crt, String key) {
    public ClientContext {
        endpoints = List.copyOf(endpoints);
        nodes = List.copyOf(nodes);
        ca = Objects.requireNonNullElse(ca, "");
        crt = Objects.requireNonNullElse(crt, "");
        key = Objects.requireNonNullElse(key, "");
    }

    public ClientContext withEndpoints(List<String> value) {
        return new ClientContext(value, nodes, ca, crt, key);
    }

    public ClientContext withNodes(List<String> value) {
        return new ClientContext(endpoints, value, ca, crt, key);
    }
}
