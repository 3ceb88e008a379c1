package dev.basalt.ctl.gen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.ctl.CtlRunner;
import dev.basalt.machinery.clientconfig.ClientConfig;
import dev.basalt.machinery.clientconfig.ClientContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workstation flow of a new cluster: {@code gen secrets}, {@code gen config} with every seed patch the project
 * ships, {@code validate}, and the admin certificate checked by OpenSSL, an independent X.509 implementation.
 */
class GenConfigEndToEndTest {
    /** The seed patches, as their README says to apply them: all nodes, then control plane only. */
    static final List<String> ALL_NODES = List.of("cilium-all-nodes.yaml", "cloudkoffer-all.yaml",
            "allow-controlplane-workloads.yaml", "cni-custom.yaml", "kubelet-certificates.yaml", "interface-names.yaml",
            "dhcp.yaml", "install-disk.yaml");
    static final List<String> CONTROL_PLANE = List.of("cloudkoffer-controlplane.yaml", "vip.yaml");

    static Path seedPatches() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("../shared/fixtures/seed-patches"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("../shared/fixtures/seed-patches beside the repository").isNotNull();
        return dir.resolve("../shared/fixtures/seed-patches").normalize();
    }

    @Test
    void generatesValidConfigsWithEverySeedPatchAndAVerifiableAdminCertificate(@TempDir Path dir) throws Exception {
        CtlRunner ctl = new CtlRunner(dir);
        assertThat(ctl.run("gen", "secrets", "-o", "secrets.yaml").status()).isZero();

        Path seeds = seedPatches();
        try (var files = Files.list(seeds)) {
            List<String> shipped = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).toList();
            List<String> used = new ArrayList<>(ALL_NODES);
            used.addAll(CONTROL_PLANE);
            assertThat(used).as("every seed patch is applied").containsExactlyInAnyOrderElementsOf(shipped);
        }
        List<String> args = new ArrayList<>(List.of("gen", "config", "demo", "https://10.5.0.2:6443",
                "--with-secrets", "secrets.yaml", "--output", "out"));
        ALL_NODES.forEach(p -> args.addAll(List.of("--config-patch", "@" + seeds.resolve(p))));
        CONTROL_PLANE.forEach(p -> args.addAll(List.of("--config-patch-control-plane", "@" + seeds.resolve(p))));
        CtlRunner.Result gen = ctl.run(args.toArray(String[]::new));
        assertThat(gen.status()).as(gen.err()).isZero();

        for (String type : List.of("controlplane", "worker")) {
            CtlRunner.Result validate = ctl.run("validate", "--config", "out/" + type + ".yaml", "--mode", "metal");
            assertThat(validate.status()).as(validate.err()).isZero();
            assertThat(validate.out()).contains("is valid for metal mode");
        }
        String controlPlane = Files.readString(dir.resolve("out/controlplane.yaml"));
        assertThat(controlPlane).contains("ip: 10.0.10.10", "allowSchedulingOnControlPlanes: true", "net.ifnames=0",
                "name: cilium-install", "disk: /dev/sda");
        assertThat(Files.readString(dir.resolve("out/worker.yaml"))).doesNotContain("10.0.10.10", "cilium-install");

        ClientContext admin = ClientConfig.load(dir.resolve("out/basaltconfig")).current().orElseThrow();
        Files.write(dir.resolve("ca.pem"), Base64.getDecoder().decode(admin.ca()));
        Files.write(dir.resolve("admin.pem"), Base64.getDecoder().decode(admin.crt()));
        assertThat(openssl(dir, "verify", "-CAfile", "ca.pem", "admin.pem")).contains("admin.pem: OK");
        String text = openssl(dir, "x509", "-in", "admin.pem", "-noout", "-text");
        assertThat(text).contains("O = os:admin", "TLS Web Client Authentication");
        assertThat(openssl(dir, "x509", "-in", "ca.pem", "-noout", "-text")).contains("Public Key Algorithm: ED25519");
    }

    @Test
    void aPatchThatBreaksTheConfigWritesNothing(@TempDir Path dir) throws IOException {
        CtlRunner ctl = new CtlRunner(dir);
        Files.writeString(dir.resolve("bad.yaml"), "machine:\n  network:\n    interfaces:\n      - interface: eth0\n        addresses: [10.0.0.1/40]\n");
        CtlRunner.Result result = ctl.run("gen", "config", "demo", "https://10.5.0.2:6443", "--config-patch", "@bad.yaml", "-o", "out");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains("machine.network.interfaces[0].addresses[0]");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void badEndpointsAndPatchPathsAreClearErrors(@TempDir Path dir) throws IOException {
        CtlRunner ctl = new CtlRunner(dir);
        assertThat(ctl.run("gen", "config", "demo", "10.5.0.2:6443").err()).contains("must be an https URL");
        assertThat(ctl.run("gen", "config", "demo", "https://10.5.0.2").err()).contains("must name a port");
        assertThat(ctl.run("gen", "config", "demo", "https://10.5.0.2:6443", "--config-patch", "@missing.yaml").err())
                .contains("missing.yaml", "does not exist");
        CtlRunner.Result jsonPatch = ctl.run("gen", "config", "demo", "https://10.5.0.2:6443", "-o", "out",
                "--config-patch", "[{\"op\": \"replace\", \"path\": \"/machine/nope/deeper\", \"value\": 1}]");
        assertThat(jsonPatch.status()).isEqualTo(1);
        assertThat(jsonPatch.err()).contains("/machine/nope/deeper");
        assertThat(dir.resolve("out")).doesNotExist();
        Files.writeString(dir.resolve("secrets.yaml"), "cluster: {}\n");
        assertThat(ctl.run("gen", "config", "demo", "https://10.5.0.2:6443", "--with-secrets", "secrets.yaml").err())
                .contains("cluster.id: missing");
    }

    @Test
    void existingFilesNeedForce(@TempDir Path dir) {
        CtlRunner ctl = new CtlRunner(dir);
        assertThat(ctl.run("gen", "secrets").status()).isZero();
        CtlRunner.Result again = ctl.run("gen", "secrets");
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("already exists, use --force");
        assertThat(ctl.run("gen", "secrets", "--force").status()).isZero();
    }

    @Test
    void machineconfigPatchAppliesAndRevalidates(@TempDir Path dir) throws IOException {
        CtlRunner ctl = new CtlRunner(dir);
        assertThat(ctl.run("gen", "config", "demo", "https://10.5.0.2:6443", "-o", "out").status()).isZero();
        Files.writeString(dir.resolve("host.yaml"), "machine:\n  network:\n    hostname: cp-1\n");
        CtlRunner.Result patched = ctl.run("machineconfig", "patch", "out/controlplane.yaml", "--patch", "@host.yaml", "-o", "cp1.yaml");
        assertThat(patched.status()).as(patched.err()).isZero();
        assertThat(Files.readString(dir.resolve("cp1.yaml"))).contains("hostname: cp-1");
        CtlRunner.Result stdout = ctl.run("machineconfig", "patch", "out/worker.yaml", "-p",
                "[{\"op\": \"add\", \"path\": \"/machine/network/hostname\", \"value\": \"w-1\"}]");
        assertThat(stdout.out()).contains("hostname: w-1");
        CtlRunner.Result broken = ctl.run("machineconfig", "patch", "out/worker.yaml", "-p", "machine:\n  type: banana\n", "-o", "w.yaml");
        assertThat(broken.status()).isEqualTo(1);
        assertThat(broken.err()).contains("machine.type");
        assertThat(dir.resolve("w.yaml")).doesNotExist();
    }

    private static String openssl(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
