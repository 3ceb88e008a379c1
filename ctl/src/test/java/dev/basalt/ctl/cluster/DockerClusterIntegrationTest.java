package dev.basalt.ctl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.ctl.CtlRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cluster create|show|destroy} against the real Docker engine (started by bin/lib/start-docker.sh). The node
 * image here is a stand-in (a tiny image whose entrypoint sleeps) so the provisioner's own work is tested without
 * the full rootfs: network, labels, addresses, the capability set, configs in USERDATA, cleanup.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DockerClusterIntegrationTest {
    private static final String IMAGE = "basalt-test/node:sleep";
    private static final String NAME = "basalt-it";

    @TempDir
    Path dir;

    @BeforeAll
    static void engineAndImage() throws Exception {
        run(List.of("../bin/lib/start-docker.sh"));
        // A rootfs of just sleep and the C library it needs.
        run(List.of("/bin/sh", "-c", "set -e; files=$(ldd /usr/bin/sleep | grep -o '/[^ ]*'); "
                + "tar -ch /usr/bin/sleep $files 2>/dev/null | docker import "
                + "--change 'ENTRYPOINT [\"/usr/bin/sleep\",\"infinity\"]' - " + IMAGE));
    }

    @AfterEach
    void destroy() throws Exception {
        new CtlRunner(dir).run("cluster", "destroy", "--name", NAME);
    }

    @Test
    void createsShowsAndDestroysALabelledCluster() throws Exception {
        CtlRunner ctl = new CtlRunner(dir);
        Files.writeString(dir.resolve("patch.yaml"), "machine:\n  sysctls:\n    net.ipv4.ip_forward: \"1\"\n");
        CtlRunner.Result created = ctl.run("cluster", "create", "--provisioner", "docker", "--name", NAME,
                "--controlplanes", "2", "--workers", "1", "--cidr", "10.231.7.0/24", "--image", IMAGE,
                "--config-patch", "@patch.yaml");
        assertThat(created.status()).as(created.err()).isZero();
        assertThat(created.out()).contains("endpoints: 10.231.7.2:50000, 10.231.7.3:50000");

        CtlRunner.Result shown = ctl.run("cluster", "show", "--name", NAME);
        assertThat(shown.status()).as(shown.err()).isZero();
        assertThat(shown.out().lines().map(String::strip).map(l -> l.split("\\s+")).map(List::of).toList())
                .containsExactly(List.of("NAME", "TYPE", "IP"),
                        List.of(NAME + "-controlplane-1", "controlplane", "10.231.7.2"),
                        List.of(NAME + "-controlplane-2", "controlplane", "10.231.7.3"),
                        List.of(NAME + "-worker-1", "worker", "10.231.7.4"));

        String labels = run(List.of("docker", "inspect", "-f",
                "{{index .Config.Labels \"basalt.type\"}} {{.State.Running}} {{.HostConfig.ReadonlyRootfs}}",
                NAME + "-worker-1"));
        assertThat(labels.strip()).isEqualTo("worker true true");
        String env = run(List.of("docker", "inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}",
                NAME + "-controlplane-1"));
        String userdata = env.lines().filter(l -> l.startsWith("USERDATA=")).findFirst().orElseThrow();
        String config = new String(java.util.Base64.getDecoder().decode(userdata.substring("USERDATA=".length())));
        assertThat(config).contains("type: controlplane", "net.ipv4.ip_forward", "https://10.231.7.2:6443");
        assertThat(env).contains("PLATFORM=container");

        CtlRunner.Result again = ctl.run("cluster", "create", "--name", NAME, "--image", IMAGE, "--cidr",
                "10.231.8.0/24");
        assertThat(again.status()).isNotZero();
        assertThat(again.err()).contains("cluster '" + NAME + "' already exists");

        CtlRunner.Result destroyed = ctl.run("cluster", "destroy", "--name", NAME);
        assertThat(destroyed.status()).as(destroyed.err()).isZero();
        assertThat(run(List.of("docker", "ps", "-aq", "--filter", "label=basalt.cluster.name=" + NAME))).isBlank();
        assertThat(run(List.of("docker", "network", "ls", "-q", "--filter", "label=basalt.cluster.name=" + NAME)))
                .isBlank();
        assertThat(dir.resolve("home/.basalt/clusters/" + NAME)).doesNotExist();
    }

    @Test
    void aMissingNodeImageFailsSayingHowToBuildItAndCreatesNothing() throws Exception {
        CtlRunner.Result r = new CtlRunner(dir).run("cluster", "create", "--name", NAME, "--image",
                "basalt/node:does-not-exist");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("node image basalt/node:does-not-exist does not exist", "bin/build-node-image");
        assertThat(run(List.of("docker", "network", "ls", "-q", "--filter", "label=basalt.cluster.name=" + NAME)))
                .isBlank();
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " did not finish within 120 s");
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as(cmd + ":\n" + out).isZero();
        return out;
    }
}
