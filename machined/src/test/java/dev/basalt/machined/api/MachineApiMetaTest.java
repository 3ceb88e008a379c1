package dev.basalt.machined.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.basalt.machined.services.LogBuffer;
import dev.basalt.machinery.api.BuildInfo;
import dev.basalt.machinery.api.machine.MetaDeleteRequest;
import dev.basalt.machinery.api.machine.MetaDeleteResponse;
import dev.basalt.machinery.api.machine.MetaWriteRequest;
import dev.basalt.machinery.api.machine.MetaWriteResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MachineApiMetaTest {
    /** META in memory; refuses values over 16 bytes like a full store would. */
    static final class FakeMeta implements MetaAccess {
        final Map<Integer, byte[]> values = new TreeMap<>();
        int calls;

        @Override
        public synchronized Map<Integer, byte[]> list() {
            return new TreeMap<>(values);
        }

        @Override
        public synchronized void write(int key, byte[] value) throws NodeApiException {
            calls++;
            if (value.length > 16) {
                throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT, "value of " + value.length
                        + " bytes does not fit");
            }
            values.put(key, value);
        }

        @Override
        public synchronized void delete(int key) throws NodeApiException {
            calls++;
            if (values.remove(key) == null) {
                throw new NodeApiException(NodeApiException.Code.NOT_FOUND, "META key " + key + " is not set");
            }
        }
    }

    static final class Capture<T> implements StreamObserver<T> {
        final List<T> values = new ArrayList<>();
        Throwable error;

        @Override
        public void onNext(T value) {
            values.add(value);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onCompleted() {
        }

        Status status() {
            return Status.fromThrowable(error);
        }
    }

    private final FakeMeta meta = new FakeMeta();

    private MachineApi api(MetaAccess access) {
        SelfServices services = new SelfServices(new LogBuffer(16, 1 << 20), Instant.now());
        return new MachineApi(LinuxHostFacts.system(Optional.of("node-1")), KmsgKernelLog.system(), services,
                new ProcessPower(() -> { }, Duration.ofSeconds(1)), new UnconfiguredNode(), BuildInfo.current(),
                "metal", access);
    }

    private Capture<MetaWriteResponse> write(MetaAccess access, int key, String value) {
        Capture<MetaWriteResponse> out = new Capture<>();
        api(access).metaWrite(MetaWriteRequest.newBuilder().setKey(key)
                .setValue(ByteString.copyFrom(value, StandardCharsets.UTF_8)).build(), out);
        return out;
    }

    private Capture<MetaDeleteResponse> delete(MetaAccess access, int key) {
        Capture<MetaDeleteResponse> out = new Capture<>();
        api(access).metaDelete(MetaDeleteRequest.newBuilder().setKey(key).build(), out);
        return out;
    }

    @Test
    void writeStoresTheValueAndAnswersWithTheNodesMetadata() {
        Capture<MetaWriteResponse> out = write(meta, 0x0a, "hello");
        assertThat(out.error).isNull();
        assertThat(out.values).singleElement().satisfies(r ->
                assertThat(r.getMessages(0).getMetadata().getHostname()).isEqualTo("node-1"));
        assertThat(meta.values).containsOnlyKeys(0x0a);
        assertThat(new String(meta.values.get(0x0a), StandardCharsets.UTF_8)).isEqualTo("hello");
    }

    @Test
    void deleteRemovesTheKeyAndAMissingKeyIsNotFound() {
        meta.values.put(0x0c, "x".getBytes(StandardCharsets.UTF_8));
        assertThat(delete(meta, 0x0c).error).isNull();
        assertThat(meta.values).isEmpty();
        Capture<MetaDeleteResponse> again = delete(meta, 0x0c);
        assertThat(again.status().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void keysOutsideOneTo255AreInvalidAndNeverReachTheStore() {
        for (int key : new int[] {0, 256, -1}) {
            Capture<MetaWriteResponse> out = write(meta, key, "v");
            assertThat(out.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(out.status().getDescription()).contains("out of range").contains("1..255");
            assertThat(delete(meta, key).status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
        assertThat(meta.calls).isZero();
    }

    @Test
    void keysTheInstallerOwnsAreRefusedByName() {
        Capture<MetaWriteResponse> out = write(meta, 9, "{}");
        assertThat(out.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(out.status().getDescription()).contains("0x09").contains("STATE_ENCRYPTION_CONFIG")
                .contains("installer");
        assertThat(delete(meta, 6).status().getDescription()).contains("0x06").contains("UPGRADE");
        assertThat(meta.calls).isZero();
    }

    @Test
    void aValueTooBigForTheStoreIsInvalidAndNothingIsWritten() {
        Capture<MetaWriteResponse> out = write(meta, 0x0c, "x".repeat(17));
        assertThat(out.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(out.status().getDescription()).contains("17 bytes");
        assertThat(meta.values).isEmpty();
    }

    @Test
    void aNodeWithoutMetaSaysToInstallFirst() {
        Capture<MetaWriteResponse> out = write(MetaAccess.NONE, 0x0a, "v");
        assertThat(out.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(out.status().getDescription()).isEqualTo("no META partition on this node (install first)");
        assertThat(delete(MetaAccess.NONE, 0x0a).status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    }

    @Test
    void theOldConstructorServesNoMeta() {
        SelfServices services = new SelfServices(new LogBuffer(16, 1 << 20), Instant.now());
        MachineApi api = new MachineApi(LinuxHostFacts.system(Optional.of("node-1")), KmsgKernelLog.system(),
                services, new ProcessPower(() -> { }, Duration.ofSeconds(1)), new UnconfiguredNode(),
                BuildInfo.current(), "process");
        Capture<MetaWriteResponse> out = new Capture<>();
        api.metaWrite(MetaWriteRequest.newBuilder().setKey(10).build(), out);
        assertThat(out.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    }

    @Test
    void metaKeysAreResourcesWithTalosIdsAndTheStateKeysRedacted() throws Exception {
        meta.values.put(0x0a, "line1\n\"q\"".getBytes(StandardCharsets.UTF_8));
        meta.values.put(0x09, "{\"keys\":[{\"passphrase\":\"secret\"}]}".getBytes(StandardCharsets.UTF_8));
        SelfServices services = new SelfServices(new LogBuffer(16, 1 << 20), Instant.now());
        HostResources view = new HostResources(LinuxHostFacts.system(Optional.of("node-1")), services,
                ClusterMembers.NONE, meta);
        assertThat(view.knows(MetaKeys.TYPE)).isTrue();
        assertThat(view.defaultNamespace(MetaKeys.TYPE)).contains("runtime");
        List<ResourceView.Item> items = view.list("runtime", MetaKeys.TYPE);
        assertThat(items).extracting(ResourceView.Item::id).containsExactly("0x09", "0x0a");
        assertThat(items.get(0).yamlSpec()).doesNotContain("secret").contains("redacted");
        assertThat(items.get(1).yamlSpec()).isEqualTo("value: \"line1\\n\\\"q\\\"\"\n");
        assertThat(view.get("runtime", MetaKeys.TYPE, "0x0a")).isPresent();
        assertThat(view.list("meta", HostResources.DEFINITION)).anySatisfy(rd ->
                assertThat(rd.yamlSpec()).contains("type: " + MetaKeys.TYPE).contains("- metakeys")
                        .contains("- metakey"));
    }

    @Test
    void aNodeWithoutMetaListsNoKeys() throws Exception {
        SelfServices services = new SelfServices(new LogBuffer(16, 1 << 20), Instant.now());
        HostResources view = new HostResources(LinuxHostFacts.system(Optional.of("node-1")), services);
        assertThat(view.list("runtime", MetaKeys.TYPE)).isEmpty();
    }

    @Test
    void yamlQuotingEscapesControlCharacters() {
        assertThat(HostResources.yamlQuoted("a\u0001b\\c\td")).isEqualTo("\"a\\x01b\\\\c\\td\"");
    }
}
