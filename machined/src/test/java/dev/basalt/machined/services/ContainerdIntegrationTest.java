package dev.basalt.machined.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Debian's containerd started from the config machined writes, probed healthy with ctr, stopped cleanly. */
@Tag("integration")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ContainerdIntegrationTest {
    @TempDir
    Path dir;

    @Test
    void containerdStartsFromOurConfigAndBecomesHealthy() throws Exception {
        ContainerdConfig config = new ContainerdConfig(dir.resolve("root"), dir.resolve("state"),
                dir.resolve("state/containerd.sock"), dir.resolve("etc/config.toml"),
                ContainerdConfig.Snapshotter.NATIVE, ContainerdConfig.CgroupDriver.CGROUPFS);
        try (Supervisor supervisor = new Supervisor(Clock.systemUTC(), Sleeper.SYSTEM, Duration.ofMillis(50),
                id -> LogBuffer.standard())) {
            supervisor.register(NodeServices.containerd(config, NodeServices.CONTAINERD_BINARY,
                    NodeServices.CTR_BINARY, ProcessLauncher.DIRECT));
            supervisor.start(NodeServices.CONTAINERD);
            boolean healthy = supervisor.await(NodeServices.CONTAINERD,
                    s -> s.state() == ServiceState.RUNNING && s.health().healthy(), Duration.ofSeconds(60));
            assertThat(healthy).as(supervisor.status("containerd").orElseThrow() + "\n"
                    + String.join("\n", supervisor.log("containerd").orElseThrow().tail(30))).isTrue();
            assertThat(supervisor.status("containerd").orElseThrow().health().lastMessage()).contains("Server:");
            assertThat(supervisor.stop(NodeServices.CONTAINERD)).isInstanceOf(ControlResult.Done.class);
        }
    }
}
