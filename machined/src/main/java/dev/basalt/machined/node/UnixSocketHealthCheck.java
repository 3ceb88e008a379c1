package dev.basalt.machined.node;

import dev.basalt.machined.services.HealthCheck;
import dev.basalt.machined.services.HealthResult;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Healthy when a unix socket accepts a connection: how machined checks containerd in the image, which ships no
 * {@code ctr} binary to ask it for its version. A connect on a unix socket either succeeds or fails at once, so
 * the probe needs no deadline of its own.
 *
 * <p>Immutable; thread-safe.
 */
public record UnixSocketHealthCheck(Path socket, Duration period) implements HealthCheck {
    @Override
    public HealthResult probe(Duration timeout) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return HealthResult.healthy("socket " + socket + " accepts connections");
        } catch (IOException e) {
            return HealthResult.unhealthy("socket " + socket + " does not accept connections: " + e.getMessage());
        }
    }
}
