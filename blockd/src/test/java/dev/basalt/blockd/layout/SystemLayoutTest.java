package dev.basalt.blockd.layout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.blockd.gpt.GptPartition;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SystemLayoutTest {
    private static final long MIB = SystemLayout.MIB;

    @Test
    void partitionsAreInBriefOrderAlignedAndSized() {
        LayoutPlan.Fits plan = (LayoutPlan.Fits) SystemLayout.plan("/dev/vda", 10_000 * MIB, 512, UUID.randomUUID());
        assertThat(plan.table().partitions()).extracting(GptPartition::name)
                .containsExactly("EFI", "BIOS", "BOOT", "META", "STATE", "EPHEMERAL");
        for (GptPartition p : plan.table().partitions()) {
            assertThat(p.firstLba() * 512 % MIB).as(p.name() + " start").isZero();
            assertThat(p.sizeBytes(512) % MIB).as(p.name() + " size").isZero();
        }
        assertThat(plan.partition(SystemPartition.EFI).sizeBytes(512)).isEqualTo(100 * MIB);
        assertThat(plan.partition(SystemPartition.BIOS).hasAttribute(GptPartition.ATTR_LEGACY_BIOS_BOOTABLE))
                .isTrue();
        assertThat(plan.partition(SystemPartition.BOOT).sizeBytes(512)).isEqualTo(1000 * MIB);
        assertThat(plan.partition(SystemPartition.META).sizeBytes(512)).isEqualTo(MIB);
        assertThat(plan.partition(SystemPartition.STATE).sizeBytes(512)).isEqualTo(100 * MIB);
        assertThat(plan.partition(SystemPartition.EPHEMERAL).sizeBytes(512)).isEqualTo((10_000 - 1204) * MIB);
    }

    @Test
    void worksWith4KiBSectors() {
        LayoutPlan.Fits plan = (LayoutPlan.Fits) SystemLayout.plan("/dev/nvme0n1", 8192 * MIB, 4096,
                UUID.randomUUID());
        assertThat(plan.partition(SystemPartition.EFI).firstLba()).isEqualTo(256);
        assertThat(plan.partition(SystemPartition.STATE).sizeBytes(4096)).isEqualTo(100 * MIB);
    }

    @Test
    void tooSmallDiskNamesNeededAndActualSize() {
        long min = SystemLayout.minimumDiskBytes(512);
        assertThat(min).isEqualTo(3252 * MIB);
        assertThat(SystemLayout.plan("/dev/vda", min, 512, UUID.randomUUID())).isInstanceOf(LayoutPlan.Fits.class);
        LayoutPlan plan = SystemLayout.plan("/dev/vda", min - 512, 512, UUID.randomUUID());
        assertThat(plan).isInstanceOfSatisfying(LayoutPlan.TooSmall.class, t -> assertThat(t.message())
                .isEqualTo("install disk /dev/vda is too small: the system layout needs at least " + min
                        + " bytes (3252 MiB), the disk has " + (min - 512) + " bytes (3251 MiB)"));
    }

    @Test
    void ephemeralGetsAtLeastTwoGiBAtTheMinimum() {
        LayoutPlan.Fits plan = (LayoutPlan.Fits) SystemLayout.plan("d", SystemLayout.minimumDiskBytes(512), 512,
                UUID.randomUUID());
        assertThat(plan.partition(SystemPartition.EPHEMERAL).sizeBytes(512)).isGreaterThanOrEqualTo(2048 * MIB);
    }
}
