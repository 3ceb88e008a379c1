package dev.basalt.machined.system;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MountTableTest {
    private static final String MOUNTINFO = """
            20 1 7:0 / / ro,nodev - squashfs /dev/loop0 ro
            21 20 0:5 / /dev rw,nosuid - devtmpfs devtmpfs rw,mode=755
            22 20 0:20 / /proc rw - proc proc rw
            23 20 0:21 / /sys rw - sysfs sysfs rw
            24 20 0:22 / /run rw - tmpfs tmpfs rw
            25 20 0:23 / /system rw - tmpfs tmpfs rw
            26 20 0:24 / /var rw - tmpfs tmpfs rw
            27 20 0:25 / /etc rw - overlay overlay rw,lowerdir=/etc
            28 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw
            29 26 253:1 / /var/lib/with\\040space rw - xfs /dev/vda6 rw
            """;

    @Test
    void unmountsDataFilesystemsNewestFirstAndLeavesRootAndPseudoFilesystems() {
        assertThat(MountTable.parse(MOUNTINFO).unmountOrder())
                .containsExactly("/var/lib/with space", "/etc", "/var", "/system", "/run");
    }

    @Test
    void malformedLineIsQuoted() {
        assertThatThrownBy(() -> MountTable.parse("1 2 3\n")).hasMessageContaining("'1 2 3'");
    }
}
