package dev.basalt.image.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrubBiosInstallTest {
    @TempDir
    Path dir;

    @Test
    void linksBootSectorAndCoreImageAndKeepsThePartitionTable() throws IOException {
        byte[] boot = new byte[512];
        Arrays.fill(boot, (byte) 0xAA);
        byte[] core = new byte[1500];
        Arrays.fill(core, (byte) 0x55);
        Path bootImg = Files.write(dir.resolve("boot.img"), boot);
        Path coreImg = Files.write(dir.resolve("core.img"), core);
        Path disk = dir.resolve("disk.raw");
        byte[] image = new byte[64 * 512];
        for (int i = 0x1b8; i < 512; i++) {
            image[i] = (byte) i; // disk signature, partition table, 55AA
        }
        Files.write(disk, image);

        GrubBiosInstall.install(bootImg, coreImg, disk, 20, 8);

        byte[] written = Files.readAllBytes(disk);
        ByteBuffer le = ByteBuffer.wrap(written).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(le.getLong(GrubBiosInstall.KERNEL_SECTOR_OFFSET)).isEqualTo(20);
        assertThat(written[GrubBiosInstall.DRIVE_CHECK_OFFSET]).isEqualTo((byte) 0x90);
        assertThat(written[0]).isEqualTo((byte) 0xAA);
        for (int i = 0x1b8; i < 512; i++) {
            assertThat(written[i]).as("MBR byte 0x%x", i).isEqualTo((byte) i);
        }
        int coreAt = 20 * 512;
        assertThat(written[coreAt]).isEqualTo((byte) 0x55);
        assertThat(le.getLong(coreAt + GrubBiosInstall.BLOCKLIST_OFFSET)).isEqualTo(21);
        assertThat(le.getShort(coreAt + GrubBiosInstall.BLOCKLIST_OFFSET + 8)).isEqualTo((short) 2);
        assertThat(le.getShort(coreAt + GrubBiosInstall.BLOCKLIST_OFFSET + 10)).isEqualTo((short) 0x820);
        assertThat(written[coreAt + 1499]).isEqualTo((byte) 0x55);
        assertThat(written[coreAt + 1500]).isZero();
    }

    @Test
    void refusesACoreImageLargerThanThePartition() throws IOException {
        Path bootImg = Files.write(dir.resolve("boot.img"), new byte[512]);
        Path coreImg = Files.write(dir.resolve("core.img"), new byte[5000]);
        Path disk = dir.resolve("disk.raw");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(64 * 512);
        }
        assertThatThrownBy(() -> GrubBiosInstall.install(bootImg, coreImg, disk, 20, 4))
                .hasMessageContaining("10 sectors").hasMessageContaining("has 4");
    }
}
