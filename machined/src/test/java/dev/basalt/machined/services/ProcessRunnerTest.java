package dev.basalt.machined.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor with real short-lived processes (the host has /bin/sh; the node image does not need it). */
class ProcessRunnerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final Supervisor supervisor = new Supervisor(Clock.systemUTC(), Sleeper.SYSTEM, Duration.ofMillis(20),
            id -> new LogBuffer(1_000, 1 << 20));

    @TempDir
    Path dir;

    @AfterEach
    void stopAll() throws InterruptedException {
        supervisor.close();
    }

    @Test
    void capturesStdoutAndStderrLineByLineAndAppendsToTheLogFile() throws Exception {
        Path file = dir.resolve("logs/echo.log");
        supervisor.register(Service.builder("echo").restart(RestartPolicy.NEVER)
                .runner(ProcessRunner.builder("/bin/sh", "-c", "echo out-$GREETING; echo err-line >&2; printf 'no newline'")
                        .env("GREETING", "hello").logFile(file).build())
                .build());
        supervisor.start("echo");
        assertThat(supervisor.await("echo", s -> s.state() == ServiceState.FINISHED, WAIT)).isTrue();
        assertThat(supervisor.log("echo").orElseThrow().tail(-1))
                .containsExactlyInAnyOrder("out-hello", "err-line", "no newline");
        assertThat(Files.readAllLines(file)).containsExactlyInAnyOrder("out-hello", "err-line", "no newline");
    }

    @Test
    void doesNotLeakMachinedsEnvironment() throws Exception {
        supervisor.register(Service.builder("env").restart(RestartPolicy.NEVER)
                .runner(ProcessRunner.builder("/usr/bin/env").env("ONLY", "this").build()).build());
        supervisor.start("env");
        assertThat(supervisor.await("env", s -> s.state() == ServiceState.FINISHED, WAIT)).isTrue();
        assertThat(supervisor.log("env").orElseThrow().tail(-1)).containsExactly("ONLY=this");
    }

    @Test
    void reportsTheExitStatusOfAFailingProcess() throws Exception {
        supervisor.register(Service.builder("fails").restart(RestartPolicy.NEVER)
                .runner(ProcessRunner.builder("/bin/sh", "-c", "exit 7").build()).build());
        supervisor.start("fails");
        assertThat(supervisor.await("fails", s -> s.state() == ServiceState.FAILED, WAIT)).isTrue();
        assertThat(supervisor.status("fails").orElseThrow().message()).isEqualTo("Service exited with status 7");
    }

    @Test
    void aMissingProgramFailsWithItsPath() throws Exception {
        supervisor.register(Service.builder("ghost").restart(RestartPolicy.NEVER)
                .runner(ProcessRunner.builder("/nonexistent/etcd").build()).build());
        supervisor.start("ghost");
        assertThat(supervisor.await("ghost", s -> s.state() == ServiceState.FAILED, WAIT)).isTrue();
        assertThat(supervisor.status("ghost").orElseThrow().message())
                .startsWith("Failed to start /nonexistent/etcd: cannot start /nonexistent/etcd");
    }

    @Test
    void stopKillsAProcessTreeThatIgnoresSigterm() throws Exception {
        Path pids = dir.resolve("pids");
        // SIG_IGN is inherited across exec, so the children ignore SIGTERM too and SIGKILL is needed.
        supervisor.register(Service.builder("stubborn").stopGrace(Duration.ofMillis(300))
                .runner(ProcessRunner.builder("/bin/sh", "-c",
                        "trap '' TERM; sleep 60 & echo $! > " + pids + "; echo started; wait").build())
                .build());
        supervisor.start("stubborn");
        assertThat(supervisor.await("stubborn", s -> s.state() == ServiceState.RUNNING, WAIT)).isTrue();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (supervisor.log("stubborn").orElseThrow().tail(-1).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long child = Long.parseLong(Files.readString(pids).strip());
        long shell = supervisor.status("stubborn").orElseThrow().pid().orElseThrow();

        assertThat(supervisor.stop("stubborn")).isInstanceOf(ControlResult.Done.class);
        ServiceSnapshot s = supervisor.status("stubborn").orElseThrow();
        assertThat(s.message()).isEqualTo("Service stopped (killed by signal 9)");
        assertThat(s.events()).extracting(ServiceEvent::message).contains("Did not exit within 300ms; sending SIGKILL");
        assertThat(ProcessHandle.of(shell).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        awaitGone(child);
    }

    @Test
    void stopEndsAWellBehavedProcessWithSigterm() throws Exception {
        supervisor.register(Service.builder("sleeper")
                .runner(ProcessRunner.builder("/bin/sleep", "60").build()).build());
        supervisor.start("sleeper");
        assertThat(supervisor.await("sleeper", s -> s.state() == ServiceState.RUNNING, WAIT)).isTrue();
        assertThat(supervisor.stop("sleeper")).isInstanceOf(ControlResult.Done.class);
        assertThat(supervisor.status("sleeper").orElseThrow().message())
                .isEqualTo("Service stopped (killed by signal 15)");
    }

    @Test
    void tcpAndExecHealthChecksProbeRealEndpoints() throws Exception {
        try (var server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            TcpHealthCheck up = new TcpHealthCheck("127.0.0.1", server.getLocalPort());
            assertThat(up.probe(Duration.ofSeconds(2))).isInstanceOf(HealthResult.Healthy.class);
        }
        HealthResult refused = new TcpHealthCheck("127.0.0.1", 1).probe(Duration.ofSeconds(2));
        assertThat(refused).isInstanceOf(HealthResult.Unhealthy.class);
        assertThat(refused.message()).startsWith("connect to 127.0.0.1:1 failed");

        assertThat(new ExecHealthCheck(List.of("/bin/true")).probe(Duration.ofSeconds(5)))
                .isInstanceOf(HealthResult.Healthy.class);
        HealthResult failed = new ExecHealthCheck(List.of("/bin/sh", "-c", "echo not ready; exit 3"))
                .probe(Duration.ofSeconds(5));
        assertThat(failed.message()).isEqualTo("/bin/sh -c echo not ready; exit 3 exited with status 3: not ready");
        HealthResult slow = new ExecHealthCheck(List.of("/bin/sleep", "5")).probe(Duration.ofMillis(100));
        assertThat(slow.message()).isEqualTo("/bin/sleep 5 did not finish within 100 ms");
    }

    private static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("process " + pid + " still alive after stop");
            }
            Thread.sleep(20);
        }
    }
}
