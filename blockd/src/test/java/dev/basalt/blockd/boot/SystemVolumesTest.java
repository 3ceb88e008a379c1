package dev.basalt.blockd.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.blockd.device.BlockDevice;
import dev.basalt.blockd.gpt.Gpt;
import dev.basalt.blockd.install.InstallerRecords;
import dev.basalt.blockd.layout.LayoutPlan;
import dev.basalt.blockd.layout.SystemLayout;
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
}
