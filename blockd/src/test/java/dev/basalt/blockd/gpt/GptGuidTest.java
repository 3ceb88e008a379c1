package dev.basalt.blockd.gpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class GptGuidTest {
    @Test
    void encodesFirstThreeFieldsLittleEndian() {
        assertThat(HexFormat.of().formatHex(GptGuid.toBytes(PartitionType.EFI_SYSTEM.guid())))
                .isEqualTo("28732ac11ff8d211ba4b00a0c93ec93b");
        // BIOS boot's GUID spells "Hah!IdontNeedEFI" in its on-disk bytes.
        assertThat(new String(GptGuid.toBytes(PartitionType.BIOS_BOOT.guid()), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("Hah!IdontNeedEFI");
    }

    @Property
    void roundTrips(@ForAll long msb, @ForAll long lsb) {
        UUID u = new UUID(msb, lsb);
        assertThat(GptGuid.read(GptGuid.toBytes(u), 0)).isEqualTo(u);
    }
}
