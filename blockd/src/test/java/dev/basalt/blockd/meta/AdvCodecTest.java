package dev.basalt.blockd.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class AdvCodecTest {
    @Test
    void layoutIsTalosAdvBigEndian() throws Exception {
        byte[] block = AdvCodec.encode(Map.of(MetaKey.UPGRADE.tag(), "A".getBytes(StandardCharsets.US_ASCII)));
        assertThat(HexFormat.of().formatHex(Arrays.copyOf(block, 16)))
                .isEqualTo("5a4b3c2d" + "00000006" + "00000001" + "41" + "000000");
        assertThat(HexFormat.of().formatHex(Arrays.copyOfRange(block, block.length - 4, block.length)))
                .isEqualTo("a5b4c3d2");
        byte[] zeroed = block.clone();
        Arrays.fill(zeroed, block.length - 36, block.length - 4, (byte) 0);
        assertThat(Arrays.copyOfRange(block, block.length - 36, block.length - 4))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(zeroed));
    }

    @Property(tries = 100)
    void roundTrips(@ForAll("stores") Map<Integer, byte[]> values) {
        AdvDecode decoded = AdvCodec.decode(AdvCodec.encode(values));
        assertThat(decoded).isInstanceOfSatisfying(AdvDecode.Valid.class, v -> {
            assertThat(v.values().keySet()).containsExactlyElementsOf(new TreeMap<>(values).keySet());
            values.forEach((k, val) -> assertThat(v.values().get(k)).isEqualTo(val));
        });
    }

    @Property(tries = 100)
    void anyFlippedByteIsDetected(@ForAll("stores") Map<Integer, byte[]> values,
                                  @ForAll("offsets") int offset) {
        byte[] block = AdvCodec.encode(values);
        block[offset] ^= 0x01;
        assertThat(AdvCodec.decode(block)).isInstanceOf(AdvDecode.Invalid.class);
    }

    @Test
    void recordRunningPastTheDataAreaIsInvalidNotACrash() throws Exception {
        byte[] block = AdvCodec.encode(Map.of(12, new byte[] {1}));
        java.nio.ByteBuffer.wrap(block).putInt(8, Integer.MAX_VALUE);
        // Re-seal the checksum so only the record length is wrong.
        Arrays.fill(block, block.length - 36, block.length - 4, (byte) 0);
        System.arraycopy(MessageDigest.getInstance("SHA-256").digest(block), 0, block, block.length - 36, 32);
        assertThat(AdvCodec.decode(block)).isInstanceOfSatisfying(AdvDecode.Invalid.class,
                i -> assertThat(i.reason()).contains("tag 12").contains("beyond the data area"));
    }

    @Test
    void overflowAndBadTagsAreRejectedWithNumbers() {
        assertThatThrownBy(() -> AdvCodec.encode(Map.of(12, new byte[AdvCodec.DATA_CAPACITY])))
                .hasMessageContaining("only " + AdvCodec.DATA_CAPACITY + " fit");
        assertThatThrownBy(() -> AdvCodec.encode(Map.of(256, new byte[1])))
                .hasMessage("META tag 256 is out of range, expected 1..255");
        assertThat(AdvCodec.decode(AdvCodec.encode(Map.of(12, new byte[AdvCodec.DATA_CAPACITY - 8]))))
                .isInstanceOf(AdvDecode.Valid.class);
    }

    @Provide
    Arbitrary<Map<Integer, byte[]>> stores() {
        return Arbitraries.maps(Arbitraries.integers().between(1, 255),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(2000)).ofMaxSize(20);
    }

    @Provide
    Arbitrary<Integer> offsets() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 4200),
                Arbitraries.integers().between(AdvCodec.BLOCK_SIZE - 40, AdvCodec.BLOCK_SIZE - 1));
    }
}
