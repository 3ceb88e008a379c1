package dev.basalt.apid;

import dev.basalt.machinery.api.transport.Tls;
import dev.basalt.machinery.api.transport.TlsServer;
import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machined.api.ProcessNode;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Several node stacks (machined API + apid) in this JVM, each with its own socket, port and hostname. */
final class NodeStacks implements AutoCloseable {
    final TestPki pki = new TestPki();
    final List<ProcessNode> machineds = new ArrayList<>();
    final List<TlsServer> apids = new ArrayList<>();
    final List<String> names = new ArrayList<>();
    private final Path dir;

    NodeStacks(int count, Duration nodeTimeout) throws IOException {
        dir = Files.createTempDirectory("basalt-stacks");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try {
            for (int i = 1; i <= count; i++) {
                Path socket = dir.resolve("node" + i + ".sock");
                machineds.add(new ProcessNode(socket, Optional.of("node" + i), quiet));
                TlsServer apid = ApidServer.start(new ApidServer.Settings(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), socket, pki.os.certificate(),
                        pki.apid, nodeTimeout, List.of()));
                apids.add(apid);
                names.add("127.0.0.1:" + apid.port());
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** A TLS channel to node {@code index}'s apid presenting {@code identity} (none when empty). */
    ManagedChannel channel(int index, Optional<CertificateAndKey> identity) throws IOException {
        return NettyChannelBuilder.forTarget(names.get(index)).negotiationType(NegotiationType.TLS)
                .sslContext(Tls.client(identity, pki.os.certificate())).build();
    }

    /** Stops node {@code index} (apid and machined), as a node going down would. */
    void stop(int index) {
        apids.get(index).close();
        machineds.get(index).close();
    }

    @Override
    public void close() {
        apids.forEach(TlsServer::close);
        machineds.forEach(ProcessNode::close);
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // temp dir leftovers are harmless
        }
    }
}
