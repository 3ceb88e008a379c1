package dev.basalt.machinery.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResetTargetsTest {
    @Test
    void onlyStateEphemeralAndMetaMayBeWipedByLabel() {
        assertThat(ResetTargets.SYSTEM_LABELS).containsExactly("STATE", "EPHEMERAL", "META");
        for (String label : new String[] {"EFI", "BIOS", "BOOT", "state", "", "STATE "}) {
            assertThat(ResetTargets.isSystemLabel(label)).as(label).isFalse();
        }
        assertThat(ResetTargets.isSystemLabel("EPHEMERAL")).isTrue();
    }

    @Test
    void userDisksAreAbsoluteNormalizedDevPaths() {
        for (String ok : new String[] {"/dev/sdb", "/dev/nvme1n1", "/dev/disk/by-id/wwn-0x5000c500a0b1c2d3"}) {
            assertThat(ResetTargets.isDevicePath(ok)).as(ok).isTrue();
        }
        for (String bad : new String[] {"sdb", "dev/sdb", "/dev/", "/dev", "/dev/../etc/passwd", "/dev/sdb/",
                "/dev//sdb", "/dev/./sdb", "/tmp/disk.img", "", "/dev/sd\0b"}) {
            assertThat(ResetTargets.isDevicePath(bad)).as(bad).isFalse();
        }
    }
}
