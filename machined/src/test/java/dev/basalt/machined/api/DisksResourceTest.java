package dev.basalt.machined.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.blockd.disks.Disk;
import dev.basalt.blockd.disks.Transport;
import dev.basalt.machined.services.LogBuffer;
import dev.basalt.machinery.api.resource.GetRequest;
import dev.basalt.machinery.api.resource.GetResponse;
import dev.basalt.machinery.api.resource.ListRequest;
import dev.basalt.machinery.api.resource.ListResponse;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DisksResourceTest {
    private static final Disk NVME = new Disk("nvme0n1", Path.of("/dev/nvme0n1"), "259:0", 10_485_760_000L, 512,
            "QEMU NVMe Ctrl", "deadbeef", "nvme.1b36-6465616462656566-51454d55204e564d65204374726c-00000001",
            Transport.NVME, false, false, false, false);
    private static final Disk HDD = new Disk("sda", Path.of("/dev/sda"), "8:0", 2_000_398_934_016L, 4096,
            "ST2000DM008-2FR1", "12345", "", Transport.SATA, true, false, false, true);
    private static final Disk CDROM = new Disk("sr0", Path.of("/dev/sr0"), "11:0", 1_048_576L, 2048, "", "", "",
            Transport.UNKNOWN, false, true, true, false);

    private static HostResources view(Supplier<List<Disk>> disks) {
        SelfServices services = new SelfServices(new LogBuffer(16, 1 << 20), Instant.now());
        return new HostResources(LinuxHostFacts.system(Optional.of("node-1")), services, ClusterMembers.NONE,
                MetaAccess.NONE, disks);
    }

    @Test
    void listsOneResourcePerDiskNamedByKernelName() throws Exception {
        HostResources view = view(() -> List.of(HDD, NVME, CDROM));
        assertThat(view.knows(Disks.TYPE)).isTrue();
        assertThat(view.defaultNamespace(Disks.TYPE)).contains("runtime");
        assertThat(view.list("runtime", Disks.TYPE)).extracting(ResourceView.Item::id)
                .containsExactly("sda", "nvme0n1", "sr0");
        assertThat(view.list("block", Disks.TYPE)).isEmpty();
    }

    @Test
    void specUsesTalosFieldNamesAndOrder() throws Exception {
        ResourceView.Item nvme = view(() -> List.of(NVME)).get("runtime", Disks.TYPE, "nvme0n1").orElseThrow();
        assertThat(nvme.yamlSpec()).isEqualTo("""
                dev_path: /dev/nvme0n1
                size: 10485760000
                pretty_size: 10 GB
                io_size: 512
                sector_size: 512
                readonly: false
                cdrom: false
                model: QEMU NVMe Ctrl
                serial: deadbeef
                wwid: nvme.1b36-6465616462656566-51454d55204e564d65204374726c-00000001
                sub_system: /sys/class/block
                transport: nvme
                """);
    }

    @Test
    void rotationalIsShownWhenTrueAndNumericLookingSerialsAreQuoted() throws Exception {
        String yaml = view(() -> List.of(HDD)).get("runtime", Disks.TYPE, "sda").orElseThrow().yamlSpec();
        assertThat(yaml).contains("pretty_size: 2.0 TB\n").contains("sector_size: 4096\n")
                .contains("serial: \"12345\"\n").contains("transport: sata\n").endsWith("rotational: true\n")
                .doesNotContain("wwid");
    }

    @Test
    void aScsiCdromIsMarkedAndEmptyFieldsAreLeftOut() throws Exception {
        String yaml = view(() -> List.of(CDROM)).get("runtime", Disks.TYPE, "sr0").orElseThrow().yamlSpec();
        assertThat(yaml).contains("readonly: true\n").contains("cdrom: true\n").contains("pretty_size: 1.0 MB\n")
                .doesNotContain("model").doesNotContain("serial").doesNotContain("transport")
                .doesNotContain("rotational");
    }

    @Test
    void prettySizeRoundsLikeTalos() {
        assertThat(Disks.prettySize(0)).isEqualTo("0 B");
        assertThat(Disks.prettySize(9)).isEqualTo("9 B");
        assertThat(Disks.prettySize(999)).isEqualTo("999 B");
        assertThat(Disks.prettySize(1000)).isEqualTo("1.0 kB");
        assertThat(Disks.prettySize(74_973_184)).isEqualTo("75 MB");
        assertThat(Disks.prettySize(1_500_000_000L)).isEqualTo("1.5 GB");
        assertThat(Disks.prettySize(9_960_000_000L)).isEqualTo("10 GB");
        // 12.5 in Go's %.0f is 12 (ties to even on the exact value)
        assertThat(Disks.prettySize(12_500_000L)).isEqualTo("12 MB");
        assertThat(Disks.prettySize(Long.MAX_VALUE)).isEqualTo("9.2 EB");
    }

    @Test
    void scalarsThatYamlWouldReadAsOtherTypesAreQuoted() {
        assertThat(Disks.scalar("QEMU HARDDISK")).isEqualTo("QEMU HARDDISK");
        assertThat(Disks.scalar("true")).isEqualTo("\"true\"");
        assertThat(Disks.scalar("0x5000c500a1b2c3d4")).isEqualTo("\"0x5000c500a1b2c3d4\"");
        assertThat(Disks.scalar("a: b")).isEqualTo("\"a: b\"");
        assertThat(Disks.scalar("pad ")).isEqualTo("\"pad \"");
        assertThat(Disks.scalar("")).isEqualTo("\"\"");
    }

    @Test
    void theDefinitionResolvesDiskAliasesAndCarriesTalosColumns() throws Exception {
        ResourceView.Item rd = view(Disks.NONE).get("meta", HostResources.DEFINITION, "disks.block.talos.dev")
                .orElseThrow();
        assertThat(rd.yamlSpec()).startsWith("type: Disks.block.talos.dev\ndefaultNamespace: runtime\n")
                .contains("  - disk\n  - disks\n")
                .contains("printColumns:\n  - name: Size\n    jsonPath: '{.pretty_size}'\n")
                .contains("  - name: Read Only\n    jsonPath: '{.readonly}'\n");
    }

    @Test
    void theOldConstructorsServeNoDisks() throws Exception {
        SelfServices services = new SelfServices(new LogBuffer(16, 1 << 20), Instant.now());
        HostResources view = new HostResources(LinuxHostFacts.system(Optional.of("node-1")), services);
        assertThat(view.knows(Disks.TYPE)).isTrue();
        assertThat(view.list("runtime", Disks.TYPE)).isEmpty();
    }

    @Test
    void aSupplierThatCannotReadSysfsFailsTheListByName() {
        HostResources view = view(() -> {
            throw new UncheckedIOException(new IOException("/nowhere/block does not exist"));
        });
        assertThatThrownBy(() -> view.list("runtime", Disks.TYPE)).isInstanceOf(IOException.class)
                .hasMessage("cannot list disks: /nowhere/block does not exist");
    }

    @Test
    void fromSysfsReadsADiskTreeAndReportsAMissingOne(@TempDir Path sys) throws Exception {
        Path vda = Files.createDirectories(sys.resolve("block/vda/queue"));
        Files.writeString(vda.getParent().resolve("size"), "41943040\n");
        Files.writeString(vda.getParent().resolve("dev"), "253:0\n");
        Files.writeString(vda.resolve("logical_block_size"), "512\n");
        assertThat(Disks.fromSysfs(sys).get()).extracting(Disk::name).containsExactly("vda");
        assertThatThrownBy(() -> Disks.fromSysfs(sys.resolve("missing")).get())
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("does not exist");
    }

    @Test
    void stateApiListsAndGetsDisksAndAMissingDiskIsNotFound() {
        StateApi api = new StateApi(view(() -> List.of(NVME, HDD)), Duration.ofSeconds(1));
        MachineApiMetaTest.Capture<ListResponse> listed = new MachineApiMetaTest.Capture<>();
        api.list(ListRequest.newBuilder().setType(Disks.TYPE).build(), listed);
        assertThat(listed.error).isNull();
        List<String> ids = new ArrayList<>();
        listed.values.forEach(r -> ids.add(r.getResource().getMetadata().getId()));
        assertThat(ids).containsExactly("nvme0n1", "sda");
        assertThat(listed.values.getFirst().getResource().getMetadata().getNamespace()).isEqualTo("runtime");

        MachineApiMetaTest.Capture<GetResponse> got = new MachineApiMetaTest.Capture<>();
        api.get(GetRequest.newBuilder().setType(Disks.TYPE).setId("sda").build(), got);
        assertThat(got.values).singleElement().satisfies(r ->
                assertThat(r.getResource().getSpec().getYamlSpec()).contains("dev_path: /dev/sda\n"));

        MachineApiMetaTest.Capture<GetResponse> missing = new MachineApiMetaTest.Capture<>();
        api.get(GetRequest.newBuilder().setType(Disks.TYPE).setId("vdz").build(), missing);
        assertThat(missing.status().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }
}
