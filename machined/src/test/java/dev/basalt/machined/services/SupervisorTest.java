package dev.basalt.machined.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SupervisorTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final TestClock clock = new TestClock();
    private final Supervisor supervisor = new Supervisor(clock, clock, Duration.ofMillis(5),
            id -> new LogBuffer(100, 10_000));

    @AfterEach
    void stopAll() throws InterruptedException {
        supervisor.close();
    }

    private static boolean running(ServiceSnapshot s) {
        return s.state() == ServiceState.RUNNING;
    }

    @Test
    void startsDependentOnlyAfterItsDependencyRuns() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        AtomicBoolean baseReady = new AtomicBoolean(false);
        supervisor.register(Service.builder("api").dependsOn("base").runner(new FakeRunner("api", order, false))
                .build());
        supervisor.register(Service.builder("base").condition(Condition.of("base ready", baseReady::get))
                .runner(new FakeRunner("base", order, false)).build());

        supervisor.startAll();
        assertThat(supervisor.await("api", s -> s.state() == ServiceState.WAITING, WAIT)).isTrue();
        assertThat(supervisor.status("api").orElseThrow().message()).isEqualTo("Waiting for service \"base\"");
        assertThat(supervisor.status("base").orElseThrow().message()).isEqualTo("Waiting for base ready");
        assertThat(order).isEmpty();

        baseReady.set(true);
        assertThat(supervisor.await("api", SupervisorTest::running, WAIT)).isTrue();
        assertThat(order).containsExactly("base", "api");
        assertThat(supervisor.status("api").orElseThrow().events()).extracting(ServiceEvent::state)
                .containsSubsequence(ServiceState.INITIALIZED, ServiceState.WAITING, ServiceState.PREPARING,
                        ServiceState.STARTING, ServiceState.RUNNING);
    }

    @Test
    void dependencyOrderPutsDependenciesFirstAndRejectsCyclesAndUnknownIds() {
        supervisor.register(Service.builder("c").dependsOn("b").runner(new FakeRunner()).build());
        supervisor.register(Service.builder("b").dependsOn("a").runner(new FakeRunner()).build());
        supervisor.register(Service.builder("a").runner(new FakeRunner()).build());
        assertThat(supervisor.dependencyOrder()).containsExactly("a", "b", "c");

        Supervisor cyclic = new Supervisor(clock, clock, Duration.ofMillis(5), id -> LogBuffer.standard());
        cyclic.register(Service.builder("x").dependsOn("y").runner(new FakeRunner()).build());
        cyclic.register(Service.builder("y").dependsOn("x").runner(new FakeRunner()).build());
        assertThatThrownBy(cyclic::startAll).hasMessageContaining("cycle").hasMessageContaining("x -> y -> x");

        Supervisor dangling = new Supervisor(clock, clock, Duration.ofMillis(5), id -> LogBuffer.standard());
        dangling.register(Service.builder("kubelet").dependsOn("cri").runner(new FakeRunner()).build());
        assertThatThrownBy(dangling::startAll)
                .hasMessage("service 'kubelet' depends on 'cri', which is not registered (registered: kubelet)");
        assertThat(dangling.status("kubelet").orElseThrow().state()).isEqualTo(ServiceState.INITIALIZED);
    }

    @Test
    void restartsAFailingServiceWithExponentialBackoff() throws Exception {
        FakeRunner runner = new FakeRunner(1, 1, 2, 1);
        supervisor.register(Service.builder("flaky").runner(runner)
                .backoff(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5), 2.0, Duration.ofMinutes(1)))
                .build());
        supervisor.start("flaky");

        assertThat(supervisor.await("flaky", s -> running(s) && s.restarts() == 4, WAIT)).isTrue();
        assertThat(runner.runs).hasSize(5);
        assertThat(clock.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(5));
        ServiceSnapshot s = supervisor.status("flaky").orElseThrow();
        assertThat(s.events()).extracting(ServiceEvent::message)
                .contains("Service exited with status 1", "Service exited with status 2",
                        "Restarting in 4s (attempt 3)");
        assertThat(s.events()).extracting(ServiceEvent::at).isSorted();
        assertThat(supervisor.log("flaky").orElseThrow().tail(2)).containsExactly("fake run 4", "fake run 5");
    }

    @Test
    void aRunLongerThanStableAfterResetsTheBackoff() throws Exception {
        AtomicInteger starts = new AtomicInteger();
        Runner slowFailing = new Runner() {
            @Override
            public Run start(LineSink output) {
                int n = starts.incrementAndGet();
                FakeRunner.FakeRun run = new FakeRunner.FakeRun(false);
                if (n <= 3) {
                    // The second run "lasts" two minutes of simulated time before failing.
                    if (n == 2) {
                        try {
                            clock.sleep(Duration.ofMinutes(2));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    run.exit.complete(ExitStatus.ofCode(1));
                }
                return run;
            }

            @Override
            public String description() {
                return "slow";
            }
        };
        supervisor.register(Service.builder("slow").runner(slowFailing).build());
        supervisor.start("slow");
        assertThat(supervisor.await("slow", s -> running(s) && s.restarts() == 3, WAIT)).isTrue();
        assertThat(clock.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofSeconds(1),
                Duration.ofSeconds(2));
    }

    @Test
    void restartPoliciesDecideWhatHappensAfterExit() throws Exception {
        supervisor.register(Service.builder("oneshot").restart(RestartPolicy.ON_FAILURE).runner(new FakeRunner(1, 0))
                .build());
        supervisor.register(Service.builder("never").restart(RestartPolicy.NEVER).runner(new FakeRunner(3)).build());
        supervisor.start("oneshot");
        supervisor.start("never");

        assertThat(supervisor.await("oneshot", s -> s.state() == ServiceState.FINISHED, WAIT)).isTrue();
        assertThat(supervisor.status("oneshot").orElseThrow().message()).isEqualTo("Service finished successfully");
        assertThat(supervisor.await("never", s -> s.state() == ServiceState.FAILED, WAIT)).isTrue();
        Thread.sleep(50);
        assertThat(supervisor.status("never").orElseThrow().restarts()).isZero();
        assertThat(supervisor.status("never").orElseThrow().message()).isEqualTo("Service exited with status 3");
    }

    @Test
    void aFailedPreparationIsReportedAndRetried() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        supervisor.register(Service.builder("etcd").prepare(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("etcd CA missing from the machine config");
            }
        }).runner(new FakeRunner()).build());
        supervisor.start("etcd");
        assertThat(supervisor.await("etcd", SupervisorTest::running, WAIT)).isTrue();
        assertThat(supervisor.status("etcd").orElseThrow().events()).extracting(ServiceEvent::message)
                .contains("Failed to prepare: etcd CA missing from the machine config");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void aRunnerThatCannotStartFailsWithItsReason() throws Exception {
        FakeRunner runner = new FakeRunner();
        runner.failStart = new java.io.IOException("cannot start /usr/bin/containerd: No such file or directory");
        supervisor.register(Service.builder("containerd").runner(runner).restart(RestartPolicy.NEVER).build());
        supervisor.start("containerd");
        assertThat(supervisor.await("containerd", s -> s.state() == ServiceState.FAILED, WAIT)).isTrue();
        assertThat(supervisor.status("containerd").orElseThrow().message())
                .isEqualTo("Failed to start fake: cannot start /usr/bin/containerd: No such file or directory");
    }

    @Test
    void stopTerminatesThenKillsARunThatIgnoresSigterm() throws Exception {
        FakeRunner runner = new FakeRunner("stubborn", new CopyOnWriteArrayList<>(), true);
        supervisor.register(Service.builder("stubborn").runner(runner).stopGrace(Duration.ofMillis(50)).build());
        supervisor.start("stubborn");
        assertThat(supervisor.await("stubborn", SupervisorTest::running, WAIT)).isTrue();

        ControlResult result = supervisor.stop("stubborn");
        assertThat(result).isEqualTo(new ControlResult.Done("Service \"stubborn\" stopped"));
        FakeRunner.FakeRun run = runner.runs.getFirst();
        assertThat(run.terminated).isTrue();
        assertThat(run.killed).isTrue();
        ServiceSnapshot s = supervisor.status("stubborn").orElseThrow();
        assertThat(s.state()).isEqualTo(ServiceState.FINISHED);
        assertThat(s.message()).isEqualTo("Service stopped (killed by signal 9)");
        assertThat(s.events()).extracting(ServiceEvent::message).contains("Did not exit within 50ms; sending SIGKILL");
        assertThat(s.pid()).isEmpty();
    }

    @Test
    void startStopRestartAnswerForUnknownAndInactiveServices() throws Exception {
        supervisor.register(Service.builder("trustd").runner(new FakeRunner()).build());
        assertThat(supervisor.stop("trustd")).isEqualTo(
                new ControlResult.Refused("service 'trustd' is not running (state Initialized)"));
        assertThat(supervisor.start("nope")).isEqualTo(new ControlResult.UnknownService("nope", List.of("trustd")));
        assertThat(supervisor.start("trustd")).isInstanceOf(ControlResult.Done.class);
        assertThat(supervisor.await("trustd", SupervisorTest::running, WAIT)).isTrue();
        assertThat(supervisor.start("trustd")).isEqualTo(
                new ControlResult.Refused("service 'trustd' is already active (state Running)"));
        assertThat(supervisor.restart("trustd")).isEqualTo(new ControlResult.Done("Service \"trustd\" restarted"));
        assertThat(supervisor.await("trustd", SupervisorTest::running, WAIT)).isTrue();
        assertThat(supervisor.log("trustd").orElseThrow().tail(-1)).containsExactly("fake run 1", "fake run 2");
        assertThatThrownBy(() -> supervisor.register(Service.builder("trustd").runner(new FakeRunner()).build()))
                .hasMessage("service 'trustd' is already registered");
    }

    @Test
    void stopWhileWaitingEndsTheWaitWithoutStarting() throws Exception {
        FakeRunner runner = new FakeRunner();
        supervisor.register(Service.builder("etcd").condition(Condition.of("etcd bootstrapped", () -> false))
                .runner(runner).build());
        supervisor.start("etcd");
        assertThat(supervisor.await("etcd", s -> s.state() == ServiceState.WAITING, WAIT)).isTrue();
        assertThat(supervisor.stop("etcd")).isInstanceOf(ControlResult.Done.class);
        assertThat(supervisor.status("etcd").orElseThrow().state()).isEqualTo(ServiceState.FINISHED);
        assertThat(runner.runs).isEmpty();
    }

    @Test
    void healthGatesDependentsAndIsReportedWithEvents() throws Exception {
        AtomicBoolean healthy = new AtomicBoolean(false);
        HealthCheck check = new HealthCheck() {
            @Override
            public HealthResult probe(Duration timeout) {
                return healthy.get() ? HealthResult.healthy("ok") : HealthResult.unhealthy("connection refused");
            }

            @Override
            public Duration period() {
                return Duration.ofSeconds(1);
            }
        };
        List<String> order = new CopyOnWriteArrayList<>();
        supervisor.register(Service.builder("containerd").runner(new FakeRunner("containerd", order, false))
                .healthCheck(check).build());
        supervisor.register(Service.builder("kubelet").dependsOn("containerd")
                .runner(new FakeRunner("kubelet", order, false)).build());
        supervisor.startAll();

        assertThat(supervisor.await("containerd", s -> !s.health().unknown(), WAIT)).isTrue();
        ServiceSnapshot c = supervisor.status("containerd").orElseThrow();
        assertThat(c.health().healthy()).isFalse();
        assertThat(c.health().lastMessage()).isEqualTo("connection refused");
        assertThat(supervisor.await("kubelet", s -> s.state() == ServiceState.WAITING, WAIT)).isTrue();
        Thread.sleep(50);
        assertThat(supervisor.status("kubelet").orElseThrow().state()).isEqualTo(ServiceState.WAITING);

        healthy.set(true);
        assertThat(supervisor.await("kubelet", SupervisorTest::running, WAIT)).isTrue();
        c = supervisor.status("containerd").orElseThrow();
        assertThat(c.health().healthy()).isTrue();
        assertThat(c.health().lastChange()).isPresent();
        assertThat(c.events()).extracting(ServiceEvent::message)
                .contains("Health check failed: connection refused", "Health check successful");
        assertThat(order).containsExactly("containerd", "kubelet");
    }

    @Test
    void keepsOnlyTheNewestEvents() throws Exception {
        Integer[] failures = new Integer[40];
        java.util.Arrays.fill(failures, 1);
        supervisor.register(Service.builder("noisy").runner(new FakeRunner(failures))
                .backoff(new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1.0, Duration.ofHours(1))).build());
        supervisor.start("noisy");
        assertThat(supervisor.await("noisy", s -> running(s) && s.restarts() == 40, WAIT)).isTrue();
        assertThat(supervisor.status("noisy").orElseThrow().events()).hasSize(Supervisor.EVENT_LIMIT);
    }
}
