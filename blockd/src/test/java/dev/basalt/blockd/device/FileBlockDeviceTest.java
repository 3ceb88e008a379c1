package dev.basalt.blockd.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlockDeviceTest {
    @TempDir
    Path dir;

    @Test
    void readsWhatWasWrittenAndRefusesBeyondTheEnd() throws IOException {
        Path image = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        try (BlockDevice dev = BlockDevice.open(image)) {
            assertThat(dev).isInstanceOf(FileBlockDevice.class);
            assertThat(dev.size()).isEqualTo(1 << 20);
            assertThat(dev.sectorCount()).isEqualTo(2048);
            dev.write(4096, new byte[] {1, 2, 3});
            assertThat(dev.read(4095, 5)).containsExactly(0, 1, 2, 3, 0);
            assertThatThrownBy(() -> dev.write((1 << 20) - 1, new byte[2]))
                    .hasMessageContaining("outside the device of 1048576 bytes");
        }
    }

    @Test
    void missingPathIsNamed() {
        assertThatThrownBy(() -> BlockDevice.open(dir.resolve("nope"))).hasMessageContaining("nope");
    }
}
