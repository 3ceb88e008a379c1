package dev.basalt.machinery.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessExecTest {
    private final ProcessExec exec = ProcessExec.system();

    @Test
    void capturesStdoutStderrAndExitStatus() {
        Result r = exec.run(Command.of("sh", "-c", "echo out; echo err >&2; exit 3"));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdoutText()).isEqualTo("out\n");
        assertThat(r.stderrText()).isEqualTo("err\n");
        assertThat(r.duration()).isPositive();
    }

    @Test
    void feedsStandardInput() {
        Result r = exec.check(Command.builder("cat").stdin("key material".getBytes(StandardCharsets.UTF_8)).build());
        assertThat(r.stdoutText()).isEqualTo("key material");
    }

    @Test
    void childSeesOnlyMinimalEnvironmentPlusCommandVariables() {
        Result r = exec.check(Command.builder("env").env("TEST_DEV", "1").build());
        assertThat(r.stdoutText().lines()).containsExactlyInAnyOrder(
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin:/usr/local/sbin:/usr/local/bin", "LC_ALL=C", "TEST_DEV=1");
    }

    @Test
    void failedExitNamesProgramRedactedArgsStatusAndStderrTail() {
        Command c = Command.builder("sh").args("-c", "echo 'No key available' >&2; exit 2", "sh")
                .secretArg("hunter2").build();
        assertThatThrownBy(() -> exec.check(c))
                .isInstanceOfSatisfying(ExecException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ExecException.Kind.FAILED_EXIT);
                    assertThat(e.exitCode()).hasValue(2);
                    assertThat(e.program()).isEqualTo("sh");
                    assertThat(e.stderrTail()).isEqualTo("No key available");
                    assertThat(e.getMessage()).contains("exited with status 2").contains("No key available")
                            .contains(Command.REDACTED).doesNotContain("hunter2");
                });
    }

    @Test
    void timeoutKillsTheProcessAndSaysSo() {
        Command c = Command.builder("sleep").arg("30").timeout(Duration.ofMillis(300)).build();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> exec.run(c)).isInstanceOfSatisfying(ExecException.class, e -> {
            assertThat(e.kind()).isEqualTo(ExecException.Kind.TIMED_OUT);
            assertThat(e.getMessage()).contains("sleep 30").contains("timed out");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void unknownProgramIsNotFoundWithSearchedPath() {
        assertThatThrownBy(() -> exec.run(Command.of("no-such-tool-basalt", "x")))
                .isInstanceOfSatisfying(ExecException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ExecException.Kind.NOT_FOUND);
                    assertThat(e.getMessage()).contains("no-such-tool-basalt").contains("/usr/sbin");
                });
    }

    @Test
    void largeOutputDoesNotDeadlock() {
        Result r = exec.check(Command.of("head", "-c", "3000000", "/dev/zero"));
        assertThat(r.stdout()).hasSize(3_000_000);
    }
}
