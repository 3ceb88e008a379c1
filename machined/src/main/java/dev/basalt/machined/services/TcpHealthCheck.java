package dev.basalt.machined.services;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Healthy when a TCP connection to {@code host:port} is accepted within the timeout. Enough for daemons whose
 * protocol needs credentials the supervisor does not hold (apid's mutual TLS).
 *
 * <p>Immutable; thread-safe.
 */
public record TcpHealthCheck(String host, int port, Duration period, Duration timeout) implements HealthCheck {
    public TcpHealthCheck {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("health check port must be 1-65535, got " + port);
        }
    }

    public TcpHealthCheck(String host, int port) {
        this(host, port, Duration.ofSeconds(5), Duration.ofSeconds(2));
    }

    @Override
    public HealthResult probe(Duration deadline) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) Math.max(1, deadline.toMillis()));
            return HealthResult.healthy("accepting connections on " + host + ":" + port);
        } catch (IOException e) {
            return HealthResult.unhealthy("connect to " + host + ":" + port + " failed: " + e.getMessage());
        }
    }
}
