package dev.basalt.qemu;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QemuMachineBuilderTest {
    @Test
    void directBootUsesTcgNoRebootAndTheGivenCommandLine() {
        var argv = QemuMachine.builder().kernel(Path.of("/k")).initrd(Path.of("/i")).append("console=ttyS0 panic=-1")
                .hostForward(50000, 50000).memoryMib(768).command();
        assertThat(String.join(" ", argv)).contains("-accel tcg").contains("-no-reboot").contains("-m 768")
                .contains("-kernel /k").contains("-initrd /i").contains("hostfwd=tcp:127.0.0.1:50000-:50000")
                .contains("-serial stdio");
        assertThat(argv).containsSubsequence("-append", "console=ttyS0 panic=-1");
    }

    @Test
    void isoBootsFromTheCdrom() {
        var argv = QemuMachine.builder().cdrom(Path.of("/b.iso")).command();
        assertThat(argv).containsSubsequence("-cdrom", "/b.iso").containsSubsequence("-boot", "d");
        assertThat(argv).doesNotContain("-kernel");
    }

    @Test
    void refusesMeaninglessCombinations() {
        assertThatThrownBy(() -> QemuMachine.builder().command()).hasMessageContaining("nothing to boot");
        assertThatThrownBy(() -> QemuMachine.builder().cdrom(Path.of("/b.iso")).append("x").command())
                .hasMessageContaining("need a kernel");
    }
}
