package dev.basalt.machined.metal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.blockd.device.FileBlockDevice;
import dev.basalt.blockd.gpt.Gpt;
import dev.basalt.blockd.gpt.GptPartition;
import dev.basalt.blockd.gpt.GptTable;
import dev.basalt.blockd.gpt.PartitionType;
import dev.basalt.blockd.layout.LayoutPlan;
import dev.basalt.blockd.layout.SystemLayout;
import dev.basalt.blockd.layout.SystemPartition;
import dev.basalt.blockd.meta.AdvCodec;
import dev.basalt.blockd.meta.MetaStore;
import dev.basalt.machined.api.NodeApiException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskMetaTest {
    @TempDir
    Path dir;

    /** A sparse image with the installed system layout and a formatted META. */
    private Path installedDisk(String name) throws IOException {
        Path image = sparse(name, SystemLayout.minimumDiskBytes(512));
        try (FileBlockDevice dev = FileBlockDevice.open(image)) {
            LayoutPlan.Fits plan = (LayoutPlan.Fits) SystemLayout.plan(name, dev.size(), 512, UUID.randomUUID());
            Gpt.write(dev, plan.table());
            MetaStore.format(dev, plan.partition(SystemPartition.META).offsetBytes(512));
        }
        return image;
    }

    private Path sparse(String name, long size) throws IOException {
        Path image = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(size);
        }
        return image;
    }

    private static MetaStore reload(Path image) throws IOException {
        FileBlockDevice dev = FileBlockDevice.open(image);
        GptTable table = Gpt.read(dev).table().orElseThrow();
        GptPartition meta = table.byName("META").orElseThrow();
        return MetaStore.load(dev, meta.offsetBytes(512), meta.sizeBytes(512));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writesListsAndDeletesKeysOnTheMetaPartition() throws Exception {
        Path disk = installedDisk("vda.img");
        DiskMeta meta = new DiskMeta(() -> List.of(disk));
        assertThat(meta.list()).isEmpty();

        meta.write(0x0a, bytes("hello"));
        meta.write(0x0c, bytes("user"));
        assertThat(meta.list()).containsOnlyKeys(0x0a, 0x0c);
        assertThat(meta.list().get(0x0a)).isEqualTo(bytes("hello"));
        MetaStore onDisk = reload(disk);
        assertThat(onDisk.source()).isEqualTo(MetaStore.Source.PRIMARY);
        assertThat(onDisk.get(0x0a)).hasValue(bytes("hello"));

        meta.delete(0x0a);
        assertThat(reload(disk).all()).containsOnlyKeys(0x0c);
    }

    @Test
    void deletingAKeyThatIsNotSetIsNotFound() throws Exception {
        Path disk = installedDisk("vda.img");
        DiskMeta meta = new DiskMeta(() -> List.of(disk));
        assertThatThrownBy(() -> meta.delete(0x0b)).isInstanceOfSatisfying(NodeApiException.class, e -> {
            assertThat(e.code()).isEqualTo(NodeApiException.Code.NOT_FOUND);
            assertThat(e.getMessage()).contains("0x0b");
        });
    }

    @Test
    void aValueThatDoesNotFitIsRefusedAndNothingIsWritten() throws Exception {
        Path disk = installedDisk("vda.img");
        DiskMeta meta = new DiskMeta(() -> List.of(disk));
        meta.write(0x0c, bytes("kept"));
        assertThatThrownBy(() -> meta.write(0x0d, new byte[AdvCodec.DATA_CAPACITY]))
                .isInstanceOfSatisfying(NodeApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(NodeApiException.Code.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("0x0d").contains("does not fit").contains("nothing was written");
                });
        assertThat(reload(disk).all()).containsOnlyKeys(0x0c);
    }

    @Test
    void usesTheFirstDiskThatHasMetaAndSkipsOthers() throws Exception {
        Path blank = sparse("blank.img", 64L << 20);
        Path foreign = sparse("foreign.img", 64L << 20);
        try (FileBlockDevice dev = FileBlockDevice.open(foreign)) {
            GptTable empty = GptTable.empty(UUID.randomUUID(), 512, dev.sectorCount());
            Gpt.write(dev, empty.withPartitions(List.of(GptPartition.of(1, PartitionType.LINUX_DATA, 2048, 4095, 0,
                    "DATA"))));
        }
        Path missing = dir.resolve("gone.img");
        Path installed = installedDisk("vdb.img");
        DiskMeta meta = new DiskMeta(() -> List.of(missing, blank, foreign, installed));
        meta.write(0x0e, bytes("x"));
        assertThat(reload(installed).get(0x0e)).hasValue(bytes("x"));
    }

    @Test
    void noDiskWithMetaIsAFailedPreconditionNamingWhatWasSeen() throws Exception {
        Path blank = sparse("blank.img", 64L << 20);
        DiskMeta meta = new DiskMeta(() -> List.of(blank));
        assertThatThrownBy(meta::list).isInstanceOfSatisfying(NodeApiException.class, e -> {
            assertThat(e.code()).isEqualTo(NodeApiException.Code.FAILED_PRECONDITION);
            assertThat(e.getMessage()).startsWith("no META partition on this node (install first)")
                    .contains("blank.img: no GPT");
        });
        assertThatThrownBy(() -> new DiskMeta(List::of).write(0x0a, bytes("v")))
                .isInstanceOfSatisfying(NodeApiException.class, e ->
                        assertThat(e.getMessage()).contains("no disks found"));
    }

    @Test
    void aDamagedFirstCopyIsReadFromTheSecondAndRepairedOnWrite() throws Exception {
        Path disk = installedDisk("vda.img");
        DiskMeta meta = new DiskMeta(() -> List.of(disk));
        meta.write(0x0a, bytes("before"));
        long offset;
        try (FileBlockDevice dev = FileBlockDevice.open(disk)) {
            offset = Gpt.read(dev).table().orElseThrow().byName("META").orElseThrow().offsetBytes(512);
            dev.write(offset + 100, new byte[] {1, 2, 3});
        }
        assertThat(meta.list().get(0x0a)).isEqualTo(bytes("before"));
        meta.write(0x0c, bytes("after"));
        MetaStore onDisk = reload(disk);
        assertThat(onDisk.source()).isEqualTo(MetaStore.Source.PRIMARY);
        assertThat(onDisk.all()).containsOnlyKeys(0x0a, 0x0c);
    }
}
