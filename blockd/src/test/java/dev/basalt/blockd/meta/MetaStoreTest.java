package dev.basalt.blockd.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.blockd.device.MemoryBlockDevice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MetaStoreTest {
    private static final long OFFSET = 1024 * 1024;
    private static final long LENGTH = 1024 * 1024;
    private final MemoryBlockDevice dev = new MemoryBlockDevice(4 * 1024 * 1024, 512);

    @Test
    void freshPartitionLoadsEmptyAndSaysWhy() throws IOException {
        MetaStore meta = MetaStore.load(dev, OFFSET, LENGTH);
        assertThat(meta.source()).isEqualTo(MetaStore.Source.EMPTY);
        assertThat(meta.all()).isEmpty();
        assertThat(meta.problems()).contains("copy 1: ADV magic1").contains("copy 2: ADV magic1");
    }

    @Test
    void valuesSurviveFlushAndReload() throws IOException {
        MetaStore meta = MetaStore.load(dev, OFFSET, LENGTH);
        meta.put(MetaKey.UPGRADE, bytes("B"));
        meta.put(0x0c, bytes("user value"));
        meta.flush();
        MetaStore again = MetaStore.load(dev, OFFSET, LENGTH);
        assertThat(again.source()).isEqualTo(MetaStore.Source.PRIMARY);
        assertThat(again.get(MetaKey.UPGRADE)).hasValue(bytes("B"));
        assertThat(again.get(12)).hasValue(bytes("user value"));
        assertThat(again.delete(12)).isTrue();
        assertThat(again.delete(12)).isFalse();
        again.flush();
        assertThat(MetaStore.load(dev, OFFSET, LENGTH).all()).containsOnlyKeys(6);
    }

    @Test
    void corruptedFirstCopyFallsBackToSecond() throws IOException {
        MetaStore meta = MetaStore.load(dev, OFFSET, LENGTH);
        meta.put(MetaKey.UPGRADE, bytes("A"));
        meta.flush();
        dev.raw()[(int) OFFSET + 9] ^= 0x40;
        MetaStore again = MetaStore.load(dev, OFFSET, LENGTH);
        assertThat(again.source()).isEqualTo(MetaStore.Source.SECONDARY);
        assertThat(again.problems()).startsWith("copy 1: ADV checksum");
        assertThat(again.get(MetaKey.UPGRADE)).hasValue(bytes("A"));
        // Writing heals the damaged copy.
        again.flush();
        assertThat(MetaStore.load(dev, OFFSET, LENGTH).source()).isEqualTo(MetaStore.Source.PRIMARY);
    }

    @Test
    void flushWritesBothCopiesAndStaysInsideItsRange() throws IOException {
        MetaStore meta = MetaStore.load(dev, OFFSET, LENGTH);
        meta.put(7, bytes("x"));
        meta.flush();
        byte[] first = dev.read(OFFSET, AdvCodec.BLOCK_SIZE);
        byte[] second = dev.read(OFFSET + AdvCodec.BLOCK_SIZE, AdvCodec.BLOCK_SIZE);
        assertThat(second).isEqualTo(first);
        assertThat(dev.read(0, (int) OFFSET)).containsOnly(0);
        assertThat(dev.read(OFFSET + 2L * AdvCodec.BLOCK_SIZE, (int) (4 * 1024 * 1024 - OFFSET
                - 2L * AdvCodec.BLOCK_SIZE))).containsOnly(0);
    }

    @Test
    void rejectsOverflowWithoutChangingTheStore() throws IOException {
        MetaStore meta = MetaStore.load(dev, OFFSET, LENGTH);
        meta.put(12, new byte[100_000]);
        assertThatThrownBy(() -> meta.put(13, new byte[200_000])).hasMessageContaining("META tag 13");
        assertThat(meta.all()).containsOnlyKeys(12);
    }

    @Test
    void rangeTooSmallForTwoCopiesIsAnError() {
        assertThatThrownBy(() -> MetaStore.load(dev, 0, 300_000))
                .hasMessageContaining("cannot hold two 262144-byte copies");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
