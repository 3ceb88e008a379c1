package dev.basalt.ctl;

import dev.basalt.machinery.api.common.Metadata;
import dev.basalt.machinery.api.machine.ApplyConfiguration;
import dev.basalt.machinery.api.machine.ApplyConfigurationRequest;
import dev.basalt.machinery.api.machine.ApplyConfigurationResponse;
import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import dev.basalt.machinery.api.machine.MetaDelete;
import dev.basalt.machinery.api.machine.MetaDeleteRequest;
import dev.basalt.machinery.api.machine.MetaDeleteResponse;
import dev.basalt.machinery.api.machine.MetaWrite;
import dev.basalt.machinery.api.machine.MetaWriteRequest;
import dev.basalt.machinery.api.machine.MetaWriteResponse;
import dev.basalt.machinery.api.machine.Reset;
import dev.basalt.machinery.api.machine.ResetRequest;
import dev.basalt.machinery.api.machine.ResetResponse;
import dev.basalt.machinery.api.transport.Tls;
import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.CertificateAuthority;
import dev.basalt.machinery.pki.KeyType;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A node in maintenance mode as basaltctl sees it over {@code --insecure}: a self-signed TLS gRPC server on
 * loopback that records ApplyConfiguration, MetaWrite, MetaDelete and Reset requests and answers them. MetaDelete of
 * key 0x0b answers NOT_FOUND and a Reset of user disk /dev/sdz INVALID_ARGUMENT, to show how a node's refusal
 * reaches the user.
 */
public final class FakeMaintenanceNode implements AutoCloseable {
    public final List<ApplyConfigurationRequest> applied = new CopyOnWriteArrayList<>();
    public final List<MetaWriteRequest> written = new CopyOnWriteArrayList<>();
    public final List<MetaDeleteRequest> deleted = new CopyOnWriteArrayList<>();
    public final List<ResetRequest> resets = new CopyOnWriteArrayList<>();
    private final Server server;

    public FakeMaintenanceNode() throws IOException {
        CertificateAndKey identity = CertificateAuthority.create("fake node", List.of("basalt"), KeyType.ED25519,
                Duration.ofHours(1));
        Metadata md = Metadata.newBuilder().setHostname("fake-node").build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .sslContext(Tls.serverOnly(identity))
                .addService(new MachineServiceGrpc.MachineServiceImplBase() {
                    @Override
                    public void applyConfiguration(ApplyConfigurationRequest request,
                                                   StreamObserver<ApplyConfigurationResponse> out) {
                        applied.add(request);
                        out.onNext(ApplyConfigurationResponse.newBuilder().addMessages(ApplyConfiguration.newBuilder()
                                .setMetadata(md).setMode(request.getMode()).setModeDetails("recorded")).build());
                        out.onCompleted();
                    }

                    @Override
                    public void metaWrite(MetaWriteRequest request, StreamObserver<MetaWriteResponse> out) {
                        written.add(request);
                        out.onNext(MetaWriteResponse.newBuilder().addMessages(MetaWrite.newBuilder().setMetadata(md))
                                .build());
                        out.onCompleted();
                    }

                    @Override
                    public void metaDelete(MetaDeleteRequest request, StreamObserver<MetaDeleteResponse> out) {
                        deleted.add(request);
                        if (request.getKey() == 0x0b) {
                            out.onError(Status.NOT_FOUND.withDescription("META key 0x0b is not set")
                                    .asRuntimeException());
                            return;
                        }
                        out.onNext(MetaDeleteResponse.newBuilder().addMessages(MetaDelete.newBuilder()
                                .setMetadata(md)).build());
                        out.onCompleted();
                    }

                    @Override
                    public void reset(ResetRequest request, StreamObserver<ResetResponse> out) {
                        resets.add(request);
                        if (request.getUserDisksToWipeList().contains("/dev/sdz")) {
                            out.onError(Status.INVALID_ARGUMENT.withDescription("Reset: user disk /dev/sdz "
                                    + "was not found").asRuntimeException());
                            return;
                        }
                        out.onNext(ResetResponse.newBuilder().addMessages(Reset.newBuilder().setMetadata(md)
                                .setActorId("reset-" + resets.size())).build());
                        out.onCompleted();
                    }
                })
                .build().start();
    }

    /** What to pass to {@code -n}. */
    public String endpoint() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
