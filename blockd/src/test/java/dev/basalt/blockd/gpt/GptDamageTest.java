package dev.basalt.blockd.gpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.blockd.device.MemoryBlockDevice;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GptDamageTest {
    private static final int SS = 512;

    private final GptTable table = GptTable.empty(UUID.randomUUID(), SS, 8192).withPartitions(List.of(
            GptPartition.of(1, PartitionType.EFI_SYSTEM, 2048, 4095, 0, "EFI"),
            GptPartition.of(2, PartitionType.BIOS_BOOT, 4096, 6143, GptPartition.ATTR_LEGACY_BIOS_BOOTABLE,
                    "BIOS")));

    @Test
    void damagedPrimaryEntriesFallBackToBackup() throws IOException {
        MemoryBlockDevice dev = written();
        dev.raw()[2 * SS + 40] ^= 1;
        assertThat(Gpt.read(dev)).isInstanceOfSatisfying(GptReadOutcome.RecoveredFromBackup.class, r -> {
            assertThat(r.value()).isEqualTo(table);
            assertThat(r.primaryProblem()).contains("entry array at LBA 2: CRC32");
        });
    }

    @Test
    void zeroedPrimaryHeaderFallsBackToBackupAtLastLba() throws IOException {
        MemoryBlockDevice dev = written();
        java.util.Arrays.fill(dev.raw(), SS, 2 * SS, (byte) 0);
        assertThat(Gpt.read(dev)).isInstanceOfSatisfying(GptReadOutcome.RecoveredFromBackup.class,
                r -> assertThat(r.primaryProblem()).contains("no \"EFI PART\" signature"));
    }

    @Test
    void damagedBackupStillReadsPrimaryAndReportsIt() throws IOException {
        MemoryBlockDevice dev = written();
        dev.raw()[8191 * SS + 20 + 4] ^= 1;
        GptReadOutcome outcome = Gpt.read(dev);
        assertThat(outcome).isInstanceOfSatisfying(GptReadOutcome.Valid.class, v -> {
            assertThat(v.value()).isEqualTo(table);
            assertThat(v.backupProblem()).hasValueSatisfying(p -> assertThat(p).contains("LBA 8191"));
        });
    }

    @Test
    void blankDiskHasNoTable() throws IOException {
        GptReadOutcome outcome = Gpt.read(new MemoryBlockDevice(8192 * SS, SS));
        assertThat(outcome).isInstanceOf(GptReadOutcome.Absent.class);
        assertThat(outcome.table()).isEqualTo(Optional.empty());
    }

    @Test
    void legacyBiosBootableAttributeIsBitTwo() throws IOException {
        MemoryBlockDevice dev = written();
        // Entry 2's attributes start at byte 48 of the second 128-byte entry.
        assertThat(dev.raw()[2 * SS + 128 + 48]).isEqualTo((byte) 0x04);
    }

    private MemoryBlockDevice written() throws IOException {
        MemoryBlockDevice dev = new MemoryBlockDevice(8192 * SS, SS);
        Gpt.write(dev, table);
        return dev;
    }
}
