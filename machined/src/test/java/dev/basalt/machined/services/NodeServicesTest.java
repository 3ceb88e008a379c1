package dev.basalt.machined.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.machined.api.ServiceControl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeServicesTest {
    @Test
    void containerdConfigNamesRootStateSocketSnapshotterAndCgroupDriver() {
        ContainerdConfig container = ContainerdConfig.node(true);
        assertThat(container.toml()).contains("root = \"/var/lib/containerd\"", "state = \"/run/containerd\"",
                "address = \"/run/containerd/containerd.sock\"", "snapshotter = \"native\"", "SystemdCgroup = false",
                "runtime_type = \"io.containerd.runc.v2\"");
        assertThat(ContainerdConfig.node(false).toml()).contains("snapshotter = \"overlayfs\"");
        assertThat(ContainerdConfig.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThatThrownBy(() -> ContainerdConfig.quote("a\nb")).hasMessageContaining("control character");
    }

    @Test
    void jvmServicesRunTheImagesJavaWithTheirArguments() {
        JvmCommand jvm = new JvmCommand(Path.of("/usr/lib/basalt/jre/bin/java"),
                List.of(Path.of("/usr/lib/basalt/apid/apid.jar"), Path.of("/usr/lib/basalt/apid/grpc.jar")),
                "dev.basalt.apid.Main", JvmCommand.SMALL_DAEMON);
        Service apid = NodeServices.apid(jvm, Path.of("/system/run/machined/machine.sock"),
                Path.of("/system/secrets/apid"), 50000, ProcessLauncher.DIRECT);
        ProcessRunner runner = (ProcessRunner) apid.runner();
        assertThat(runner.command()).startsWith("/usr/lib/basalt/jre/bin/java", "-Xmx64m");
        assertThat(runner.command()).containsSubsequence("-cp",
                "/usr/lib/basalt/apid/apid.jar:/usr/lib/basalt/apid/grpc.jar", "dev.basalt.apid.Main",
                "--machined-socket", "/system/run/machined/machine.sock", "--identity-dir", "/system/secrets/apid",
                "--listen", "0.0.0.0:50000");
        assertThat(apid.conditions()).extracting(Condition::description).containsExactly(
                "file /system/run/machined/machine.sock exists", "file /system/secrets/apid/apid.crt exists");
        assertThat(runner.environment()).isEmpty();
    }

    @Test
    void theApiViewReportsTalosStateNamesEventsAndMirrorsLogs() throws Exception {
        TestClock clock = new TestClock();
        SupervisedServiceControl control = new SupervisedServiceControl(clock, clock, Duration.ofMillis(5), 10, 1000);
        control.supervisor().register(Service.builder("trustd").runner(new FakeRunner()).build());
        assertThat(control.start("trustd")).isEqualTo(new ServiceControl.Accepted("Service \"trustd\" started"));
        assertThat(control.supervisor().await("trustd", s -> s.state() == ServiceState.RUNNING,
                Duration.ofSeconds(10))).isTrue();
        ServiceControl.ServiceStatus status = control.list().getFirst();
        assertThat(status.state()).isEqualTo("Running");
        assertThat(status.events()).extracting(ServiceControl.Event::state)
                .containsExactly("Initialized", "Preparing", "Starting", "Running");
        assertThat(status.health().unknown()).isTrue();
        assertThat(control.log("trustd").orElseThrow().cursor(-1).drain(10)).containsExactly("fake run 1");
        assertThat(control.stop("nope")).isInstanceOf(ServiceControl.UnknownService.class);
        assertThat(control.stop("trustd")).isEqualTo(new ServiceControl.Accepted("Service \"trustd\" stopped"));
        assertThat(control.list().getFirst().state()).isEqualTo("Finished");
    }
}
