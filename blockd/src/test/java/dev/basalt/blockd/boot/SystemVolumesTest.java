package dev.basalt.blockd.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.blockd.device.BlockDevice;
import dev.basalt.blockd.gpt.Gpt;
import dev.basalt.blockd.install.InstallerRecords;
import dev.basalt.blockd.layout.LayoutPlan;
import dev.basalt.blockd.layout.SystemLayout;
import dev.basalt.blockd.layout.SystemPartition;
import dev.basalt.blockd.meta.MetaStore;
import dev.basalt.blockd.luks.KeyProvider;
import dev.basalt.blockd.luks.VolumeEncryption;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemVolumesTest {
    @TempDir
    Path dir;

    private Path blank(String name, long size) throws Exception {
        Path file = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        return file;
    }

    @Test
    void locatesTheDiskWithTheSystemLayoutAndSkipsOthers() throws Exception {
        Path empty = blank("empty.img", 64L << 20);
        Path system = blank("system.img", SystemLayout.minimumDiskBytes(512));
        try (BlockDevice dev = BlockDevice.open(system)) {
            LayoutPlan plan = SystemLayout.plan(system.toString(), dev.size(), dev.sectorSize(), UUID.randomUUID());
            Gpt.write(dev, ((LayoutPlan.Fits) plan).table());
        }
        assertThat(SystemVolumes.locate(List.of(empty, dir.resolve("missing"), system)))
                .hasValueSatisfying(d -> assertThat(d.disk()).isEqualTo(system));
        assertThat(SystemVolumes.locate(List.of(empty))).isEmpty();
    }

    @Test
    void metaStatusSaysWhichCopyIsUsed() throws Exception {
        Path system = blank("meta.img", SystemLayout.minimumDiskBytes(512));
        long metaOffset;
        try (BlockDevice dev = BlockDevice.open(system)) {
            LayoutPlan plan = SystemLayout.plan(system.toString(), dev.size(), dev.sectorSize(), UUID.randomUUID());
            var table = ((LayoutPlan.Fits) plan).table();
            Gpt.write(dev, table);
            var meta = table.byNumber(SystemPartition.META.number()).orElseThrow();
            metaOffset = meta.offsetBytes(512);
            MetaStore.format(dev, metaOffset);
            var store = MetaStore.load(dev, metaOffset, meta.sizeBytes(512));
            store.put(12, "x".getBytes());
            store.flush();
        }
        SystemVolumes.SystemDisk disk = SystemVolumes.locate(List.of(system)).orElseThrow();
        assertThat(SystemVolumes.metaStatus(disk)).isEqualTo("META: 1 key(s) from copy 1");
        try (BlockDevice dev = BlockDevice.open(system)) {
            dev.write(metaOffset, new byte[4096]);
        }
        assertThat(SystemVolumes.metaStatus(disk)).startsWith("META: copy 1: ").endsWith("; 1 key(s) from copy 2");
    }

    @Test
    void staticPassphrasesComeBackFromTheInstallersRecordIncludingEscapes() {
        String tricky = "pa\"ss\\wo\u0001rd ü";
        byte[] record = InstallerRecords.stateEncryption(List.of(
                new VolumeEncryption.SlotKey(0, new KeyProvider.Static(tricky)),
                new VolumeEncryption.SlotKey(1, KeyProvider.NodeId.system())));
        Map<Integer, KeyProvider.Static> statics = SystemVolumes.staticPassphrases(record);
        assertThat(statics).containsOnlyKeys(0);
        assertThat(statics.get(0).passphrase()).isEqualTo(tricky);
    }

    @Test
    void aRecordWithoutStaticKeysGivesNone() {
        assertThat(SystemVolumes.staticPassphrases("{\"keys\":[{\"slot\":0,\"provider\":\"nodeID\"}]}".getBytes()))
                .isEmpty();
        assertThat(SystemVolumes.staticPassphrases("garbage".getBytes())).isEmpty();
    }

    @Test
    void probeTellsXfsLuksBlankAndOther() throws Exception {
        Path f = dir.resolve("probe");
        java.nio.file.Files.write(f, new byte[] {'X', 'F', 'S', 'B', 0, 0, 0, 0});
        assertThat(SystemVolumes.probe(f)).isEqualTo(SystemVolumes.Content.XFS);
        java.nio.file.Files.write(f, new byte[] {'L', 'U', 'K', 'S', (byte) 0xba, (byte) 0xbe, 0, 2});
        assertThat(SystemVolumes.probe(f)).isEqualTo(SystemVolumes.Content.LUKS);
        java.nio.file.Files.write(f, new byte[8]);
        assertThat(SystemVolumes.probe(f)).isEqualTo(SystemVolumes.Content.BLANK);
        java.nio.file.Files.write(f, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertThat(SystemVolumes.probe(f)).isEqualTo(SystemVolumes.Content.OTHER);
    }

    @Test
    void wipingLabelsZeroesTheirStartAndKeepsTheTable() throws Exception {
        Path system = blank("wipe.img", SystemLayout.minimumDiskBytes(512));
        var table = ((LayoutPlan.Fits) SystemLayout.plan(system.toString(), SystemLayout.minimumDiskBytes(512), 512,
                UUID.randomUUID())).table();
        long state;
        long ephemeral;
        try (BlockDevice dev = BlockDevice.open(system)) {
            Gpt.write(dev, table);
            state = table.byNumber(SystemPartition.STATE.number()).orElseThrow().offsetBytes(512);
            ephemeral = table.byNumber(SystemPartition.EPHEMERAL.number()).orElseThrow().offsetBytes(512);
            byte[] ones = new byte[4096];
            java.util.Arrays.fill(ones, (byte) 1);
            dev.write(state, ones);
            dev.write(ephemeral, ones);
        }
        SystemVolumes.SystemDisk disk = SystemVolumes.locate(List.of(system)).orElseThrow();
        assertThat(SystemVolumes.wipe(disk, List.of("STATE"))).contains("STATE");
        try (BlockDevice dev = BlockDevice.open(system)) {
            assertThat(dev.read(state, 4096)).containsOnly((byte) 0);
            assertThat(dev.read(ephemeral, 4096)).containsOnly((byte) 1);
        }
        assertThat(SystemVolumes.locate(List.of(system))).as("the table survives a label wipe").isPresent();
        SystemVolumes.wipe(disk, List.of());
        assertThat(SystemVolumes.locate(List.of(system))).as("a full wipe removes the table").isEmpty();
    }
}
