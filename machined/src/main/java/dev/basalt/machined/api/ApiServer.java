package dev.basalt.machined.api;

import dev.basalt.machinery.api.transport.UnixSockets;
import io.grpc.Server;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * machined's API endpoint: {@code machine.MachineService}, {@code storage.StorageService} and
 * {@code cosi.resource.State} on a unix socket that only apid (and root) may open. Calls run on virtual
 * threads, so handlers may block.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class ApiServer implements AutoCloseable {
    // gRPC's default 4 MiB is too small for a busy node's process list; Talos raises its limit likewise.
    private static final int MAX_MESSAGE_BYTES = 32 << 20;

    private final Server server;
    private final EventLoopGroup group;
    private final ExecutorService executor;
    private final Path socket;

    private ApiServer(Server server, EventLoopGroup group, ExecutorService executor, Path socket) {
        this.server = server;
        this.group = group;
        this.executor = executor;
        this.socket = socket;
    }

    /** Binds {@code socket} (mode 0660) and starts serving the given services. */
    public static ApiServer start(Path socket, MachineApi machine, StorageApi storage, StateApi state)
            throws IOException {
        EventLoopGroup group = UnixSockets.eventLoopGroup(1);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Server server = UnixSockets.serverBuilder(socket, group)
                    .executor(executor)
                    .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                    .addService(machine)
                    .addService(storage)
                    .addService(state)
                    .build()
                    .start();
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
            return new ApiServer(server, group, executor, socket);
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            executor.shutdownNow();
            throw new IOException("cannot serve the machine API on " + socket + ": " + e.getMessage(), e);
        }
    }

    public Path socket() {
        return socket;
    }

    /** Blocks until the server has terminated. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
                server.shutdownNow();
                server.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // the socket file is recreated on the next start anyway
        }
    }
}
