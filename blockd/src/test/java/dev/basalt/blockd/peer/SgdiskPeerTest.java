package dev.basalt.blockd.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.blockd.device.FileBlockDevice;
import dev.basalt.blockd.gpt.Gpt;
import dev.basalt.blockd.gpt.GptPartition;
import dev.basalt.blockd.gpt.GptReadOutcome;
import dev.basalt.blockd.gpt.GptTable;
import dev.basalt.blockd.gpt.PartitionType;
import dev.basalt.blockd.layout.LayoutPlan;
import dev.basalt.blockd.layout.SystemLayout;
import dev.basalt.blockd.layout.SystemPartition;
import dev.basalt.machinery.exec.Command;
import dev.basalt.machinery.exec.ProcessExec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our GPT against sgdisk and parted, both directions, on sparse image files (no root needed). */
class SgdiskPeerTest {
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void sgdiskVerifiesAndListsTheSystemLayoutWeWrite() throws IOException {
        Path image = sparse("system.img", 4096 * MIB);
        GptTable table;
        try (FileBlockDevice dev = FileBlockDevice.open(image)) {
            LayoutPlan plan = SystemLayout.plan(image.toString(), dev.size(), 512, UUID.randomUUID());
            table = ((LayoutPlan.Fits) plan).table();
            Gpt.write(dev, table);
        }
        assertThat(Sgdisk.verify(image)).contains("No problems found");
        assertThat(Sgdisk.print(image)).containsExactly(
                new Sgdisk.Row(1, 2048, 206847, "EF00", "EFI"),
                new Sgdisk.Row(2, 206848, 208895, "EF02", "BIOS"),
                new Sgdisk.Row(3, 208896, 2256895, "8300", "BOOT"),
                new Sgdisk.Row(4, 2256896, 2258943, "8300", "META"),
                new Sgdisk.Row(5, 2258944, 2463743, "8300", "STATE"),
                // 4096 MiB disk: the last whole MiB before the backup array ends at 4095 MiB.
                new Sgdisk.Row(6, 2463744, 4095 * 2048 - 1, "8300", "EPHEMERAL"));
        assertThat(Sgdisk.diskGuid(image)).isEqualTo(table.diskId());
        assertThat(Sgdisk.partitionGuid(image, 6))
                .isEqualTo(table.byNumber(SystemPartition.EPHEMERAL.number()).orElseThrow().id());
        assertThat(Sgdisk.attributes(image, 2)).isEqualTo("0000000000000004");
        assertThat(Sgdisk.attributes(image, 1)).isEqualTo("0000000000000000");
    }

    @Test
    void weReadATableSgdiskMade() throws IOException {
        Path image = sparse("sgdisk.img", 64 * MIB);
        Sgdisk.run(image, "-o", "-n", "1:2048:+10M", "-t", "1:ef00", "-c", "1:EFI",
                "-n", "2:0:+1M", "-t", "2:ef02", "-c", "2:BIOS", "-A", "2:set:2",
                "-n", "5:0:+20M", "-t", "5:8300", "-c", "5:données ünïcode",
                "-n", "3:0:0", "-t", "3:8200", "-c", "3:swap");
        GptTable table;
        try (FileBlockDevice dev = FileBlockDevice.open(image)) {
            GptReadOutcome outcome = Gpt.read(dev);
            assertThat(outcome).isInstanceOf(GptReadOutcome.Valid.class);
            assertThat(((GptReadOutcome.Valid) outcome).backupProblem()).isEmpty();
            table = outcome.table().orElseThrow();
        }
        assertThat(table.diskId()).isEqualTo(Sgdisk.diskGuid(image));
        List<Sgdisk.Row> rows = Sgdisk.print(image);
        assertThat(table.partitions()).extracting(GptPartition::number, GptPartition::firstLba,
                GptPartition::lastLba, GptPartition::name).containsExactlyElementsOf(rows.stream()
                .map(r -> org.assertj.core.groups.Tuple.tuple(r.number(), r.first(), r.last(), r.name())).toList());
        assertThat(table.byNumber(1).orElseThrow().type()).isEqualTo(PartitionType.EFI_SYSTEM.guid());
        assertThat(table.byNumber(2).orElseThrow().type()).isEqualTo(PartitionType.BIOS_BOOT.guid());
        assertThat(table.byNumber(2).orElseThrow().attributes()).isEqualTo(GptPartition.ATTR_LEGACY_BIOS_BOOTABLE);
        assertThat(table.byNumber(5).orElseThrow().name()).isEqualTo("données ünïcode");
        assertThat(table.byNumber(3).orElseThrow().type())
                .isEqualTo(UUID.fromString("0657FD6D-A4AB-43C4-84E5-0933C84B4F4F")); // Linux swap
        for (GptPartition p : table.partitions()) {
            assertThat(p.id()).isEqualTo(Sgdisk.partitionGuid(image, p.number()));
        }
    }

    @Test
    void weReadATablePartedMade() throws IOException {
        Path image = sparse("parted.img", 64 * MIB);
        ProcessExec.system().check(Command.of("parted", "-s", image.toString(), "mklabel", "gpt",
                "mkpart", "EFI", "fat32", "1MiB", "11MiB", "set", "1", "esp", "on",
                "mkpart", "BIOS", "12MiB", "13MiB", "set", "2", "bios_grub", "on",
                "mkpart", "STATE", "xfs", "13MiB", "40MiB", "set", "3", "legacy_boot", "on"));
        GptTable table;
        try (FileBlockDevice dev = FileBlockDevice.open(image)) {
            table = Gpt.read(dev).table().orElseThrow();
        }
        assertThat(table.partitions()).extracting(GptPartition::number, GptPartition::name,
                GptPartition::firstLba, GptPartition::lastLba).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, "EFI", 2048L, 22527L),
                org.assertj.core.groups.Tuple.tuple(2, "BIOS", 24576L, 26623L),
                org.assertj.core.groups.Tuple.tuple(3, "STATE", 26624L, 81919L));
        assertThat(table.byNumber(1).orElseThrow().type()).isEqualTo(PartitionType.EFI_SYSTEM.guid());
        assertThat(table.byNumber(2).orElseThrow().type()).isEqualTo(PartitionType.BIOS_BOOT.guid());
        assertThat(table.byNumber(3).orElseThrow().type()).isEqualTo(PartitionType.LINUX_DATA.guid());
        assertThat(table.byNumber(3).orElseThrow().hasAttribute(GptPartition.ATTR_LEGACY_BIOS_BOOTABLE)).isTrue();
        assertThat(table.backupHeaderLba()).isEqualTo(64 * 2048 - 1);
    }

    @Test
    void primaryHeaderDestroyedOnDiskIsReadFromBackupAndSgdiskAgrees() throws IOException {
        Path image = sparse("damaged.img", 64 * MIB);
        Sgdisk.run(image, "-o", "-n", "1:0:+8M", "-c", "1:STATE", "-n", "2:0:0", "-c", "2:EPHEMERAL");
        GptTable before;
        try (FileBlockDevice dev = FileBlockDevice.open(image)) {
            before = Gpt.read(dev).table().orElseThrow();
            dev.write(512 + 8, new byte[] {0x7F, 0x7F, 0x7F, 0x7F}); // revision field: breaks the header CRC
        }
        try (FileBlockDevice dev = FileBlockDevice.open(image)) {
            GptReadOutcome outcome = Gpt.read(dev);
            assertThat(outcome).isInstanceOfSatisfying(GptReadOutcome.RecoveredFromBackup.class, r -> {
                assertThat(r.value()).isEqualTo(before);
                assertThat(r.primaryProblem()).contains("CRC32");
            });
            // Rewriting what we recovered gives a table sgdisk finds sound again.
            Gpt.write(dev, outcome.table().orElseThrow());
        }
        assertThat(Sgdisk.verify(image)).contains("No problems found");
    }

    private Path sparse(String name, long bytes) throws IOException {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return p;
    }
}
