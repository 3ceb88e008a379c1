package dev.basalt.machined.api;

import com.google.protobuf.Empty;
import dev.basalt.machinery.api.common.Metadata;
import dev.basalt.machinery.api.storage.Disk;
import dev.basalt.machinery.api.storage.Disks;
import dev.basalt.machinery.api.storage.DisksResponse;
import dev.basalt.machinery.api.storage.StorageServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;

/**
 * machined's {@code storage.StorageService}: the node's disks as sysfs shows them.
 *
 * <p>Thread-safe.
 */
public final class StorageApi extends StorageServiceGrpc.StorageServiceImplBase {
    private final HostFacts facts;

    public StorageApi(HostFacts facts) {
        this.facts = facts;
    }

    @Override
    public void disks(Empty request, StreamObserver<DisksResponse> out) {
        Disks.Builder disks;
        try {
            disks = Disks.newBuilder().setMetadata(Metadata.newBuilder().setHostname(facts.hostname()));
            for (HostFacts.DiskSample d : facts.disks()) {
                disks.addDisks(Disk.newBuilder().setDeviceName(d.deviceName()).setSize(d.sizeBytes())
                        .setModel(d.model()).setSerial(d.serial()).setModalias(d.modalias()).setUuid(d.uuid())
                        .setWwid(d.wwid()).setTypeValue(d.kind().ordinal()).setBusPath(d.busPath())
                        .setSubsystem(d.subsystem()));
            }
        } catch (IOException e) {
            out.onError(Status.INTERNAL.withDescription("Disks: " + e.getMessage()).asRuntimeException());
            return;
        }
        out.onNext(DisksResponse.newBuilder().addMessages(disks).build());
        out.onCompleted();
    }
}
