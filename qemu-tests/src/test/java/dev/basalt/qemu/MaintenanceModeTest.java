package dev.basalt.qemu;

import static dev.basalt.qemu.BootTestSupport.BANNER;
import static dev.basalt.qemu.BootTestSupport.BOOT_TIMEOUT;
import static dev.basalt.qemu.BootTestSupport.DIRECT_ARGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import dev.basalt.machinery.api.machine.ApplyConfigurationRequest;
import dev.basalt.machinery.api.machine.ApplyConfigurationResponse;
import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import dev.basalt.machinery.api.machine.VersionResponse;
import dev.basalt.machinery.api.storage.DisksResponse;
import dev.basalt.machinery.api.storage.StorageServiceGrpc;
import dev.basalt.machinery.client.MaintenanceTrust;
import dev.basalt.machinery.client.NodeClient;
import dev.basalt.machinery.config.ConfigYaml;
import dev.basalt.machinery.generate.ConfigGenerator;
import dev.basalt.machinery.generate.GenerateOptions;
import dev.basalt.machinery.secrets.SecretsBundle;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Maintenance mode in QEMU: the node boots (direct kernel, ISO with OVMF; InstallToDiskTest boots the ISO with
 * SeaBIOS) to the banner, prints its certificate fingerprint, and answers version and disks over the maintenance
 * API from the host (through QEMU's user-mode port forward), with and without the pinned fingerprint; a wrong
 * fingerprint is refused. The direct boot also has a blank disk and checks that bad apply-config requests change nothing.
 */
@Tag("integration")
class MaintenanceModeTest {
    private static final Pattern FINGERPRINT = Pattern.compile("fingerprint \\(SHA-256\\): ([0-9a-f]{64})");
    private static final Duration API_TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    Path tmp;

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String fingerprint(QemuMachine vm) {
        String line = vm.awaitLine(l -> FINGERPRINT.matcher(l).find(), "certificate fingerprint", BOOT_TIMEOUT);
        Matcher m = FINGERPRINT.matcher(line);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    static NodeClient client(int port, Optional<String> fingerprint) {
        return NodeClient.insecure(List.of("127.0.0.1:" + port), MaintenanceTrust.of(fingerprint));
    }

    static VersionResponse version(NodeClient client) {
        return client.call(List.of(), ch -> MachineServiceGrpc.newBlockingStub(ch)
                .withDeadlineAfter(20, TimeUnit.SECONDS).version(Empty.getDefaultInstance()));
    }

    /** QEMU accepts forwarded connections before the guest listens: wait for a real answer. */
    static VersionResponse awaitVersion(NodeClient client, QemuMachine vm) throws InterruptedException {
        long deadline = System.nanoTime() + API_TIMEOUT.toNanos();
        while (true) {
            try {
                return version(client);
            } catch (StatusRuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("maintenance API did not answer within " + API_TIMEOUT + "; console:\n"
                            + vm.tail(40), e);
                }
                Thread.sleep(1000);
            }
        }
    }

    /** Boots, waits for the API, checks version, disks and fingerprint pinning; returns the fingerprint. */
    static String checkMaintenanceApi(QemuMachine vm, int port, String what) throws Exception {
        vm.awaitLine(BANNER, BOOT_TIMEOUT);
        String fingerprint = fingerprint(vm);
        try (NodeClient insecure = client(port, Optional.empty())) {
            VersionResponse version = awaitVersion(insecure, vm);
            System.out.println(what + ": maintenance API answered after " + vm.elapsed().toMillis() + " ms");
            assertThat(version.getMessages(0).getPlatform().getName()).isEqualTo("metal");
            DisksResponse disks = insecure.call(List.of(), ch -> StorageServiceGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(20, TimeUnit.SECONDS).disks(Empty.getDefaultInstance()));
            assertThat(disks.getMessagesCount()).isEqualTo(1);
        }
        try (NodeClient pinned = client(port, Optional.of(fingerprint))) {
            assertThat(version(pinned).getMessagesCount()).isEqualTo(1);
        }
        String wrong = new StringBuilder(fingerprint).reverse().toString();
        try (NodeClient pinned = client(port, Optional.of(wrong))) {
            assertThatThrownBy(() -> version(pinned)).isInstanceOf(StatusRuntimeException.class)
                    .hasStackTraceContaining("does not match --cert-fingerprint " + wrong);
        }
        return fingerprint;
    }

    /** OVMF only: InstallToDiskTest boots the ISO with SeaBIOS to the same maintenance API. */
    @ParameterizedTest
    @EnumSource(value = Firmware.class, names = "OVMF")
    void isoAnswersTheMaintenanceApi(Firmware firmware) throws Exception {
        BasaltImage image = BasaltImage.amd64();
        int port = freePort();
        try (QemuMachine vm = QemuMachine.builder().cdrom(image.iso()).firmware(firmware).hostForward(port, 50000)
                .serialLog(BootTestSupport.logFile("maintenance-iso-" + firmware.name().toLowerCase())).start()) {
            checkMaintenanceApi(vm, port, "ISO " + firmware);
        }
    }

    @Test
    void directBootAnswersAndRefusesBadConfigsLeavingTheDiskUntouched() throws Exception {
        BasaltImage image = BasaltImage.amd64();
        Path disk = tmp.resolve("blank.raw");
        try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
            file.setLength(10L << 30); // sparse 10 GiB
        }
        int port = freePort();
        try (QemuMachine vm = QemuMachine.builder().kernel(image.kernel()).initrd(image.initramfs())
                .append(DIRECT_ARGS).disk(disk).hostForward(port, 50000)
                .serialLog(BootTestSupport.logFile("maintenance-direct")).start()) {
            checkMaintenanceApi(vm, port, "direct kernel");
            try (NodeClient client = client(port, Optional.empty())) {
                assertThatThrownBy(() -> apply(client, config("/dev/sdz"), false))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                                .isEqualTo(Status.Code.FAILED_PRECONDITION))
                        .hasMessageContaining("machine.install.disk /dev/sdz does not exist");
                assertThatThrownBy(() -> apply(client, "version: v1alpha1\nmachine: {type: nonsense}\n", false))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                                .isEqualTo(Status.Code.INVALID_ARGUMENT))
                        .hasMessageContaining("invalid machine config");
                ApplyConfigurationResponse dry = apply(client, config("/dev/vda"), true);
                assertThat(dry.getMessages(0).getModeDetails()).contains("dry run").contains("/dev/vda")
                        .contains("nothing was changed");
            }
            assertThat(vm.printed("Kernel panic")).isFalse();
        }
        assertThat(allZero(disk)).as("the blank disk is untouched").isTrue();
    }

    static String config(String installDisk) {
        var options = GenerateOptions.builder("metal", URI.create("https://10.0.2.15:6443"), SecretsBundle.generate())
                .installDisk(installDisk).build();
        return ConfigYaml.encode(new ConfigGenerator().generate(options).controlPlane());
    }

    static ApplyConfigurationResponse apply(NodeClient client, String config, boolean dryRun) {
        return client.call(List.of(), ch -> MachineServiceGrpc.newBlockingStub(ch)
                .withDeadlineAfter(60, TimeUnit.SECONDS)
                .applyConfiguration(ApplyConfigurationRequest.newBuilder()
                        .setData(ByteString.copyFrom(config, StandardCharsets.UTF_8)).setDryRun(dryRun).build()));
    }

    /** The first and last 4 MiB (where GPT, META and filesystems would start) hold only zeros. */
    static boolean allZero(Path disk) throws IOException {
        long size = Files.size(disk);
        try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "r")) {
            for (long offset : new long[] {0, size - (4 << 20)}) {
                byte[] buffer = new byte[4 << 20];
                file.seek(offset);
                file.readFully(buffer);
                for (byte b : buffer) {
                    if (b != 0) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
