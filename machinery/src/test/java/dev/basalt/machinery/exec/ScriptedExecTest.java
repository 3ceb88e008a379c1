package dev.basalt.machinery.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScriptedExecTest {
    @Test
    void firstMatchingRuleAnswersAndCallsAreRecorded() {
        ScriptedExec exec = new ScriptedExec()
                .on(c -> c.args().contains("open"), Result.failed(2, "No key available"))
                .on("cryptsetup", Result.ok("ok"));
        assertThat(exec.run(Command.of("cryptsetup", "status", "x")).stdoutText()).isEqualTo("ok");
        assertThatThrownBy(() -> exec.check(Command.of("cryptsetup", "open", "/dev/x", "y")))
                .hasMessageContaining("exited with status 2").hasMessageContaining("No key available");
        assertThat(exec.calls("cryptsetup")).hasSize(2);
    }

    @Test
    void unscriptedCommandFailsLoudly() {
        ScriptedExec exec = new ScriptedExec();
        assertThatThrownBy(() -> exec.run(Command.of("mkfs.xfs", "/dev/sda")))
                .isInstanceOf(ExecException.class).hasMessageContaining("mkfs.xfs /dev/sda");
    }
}
