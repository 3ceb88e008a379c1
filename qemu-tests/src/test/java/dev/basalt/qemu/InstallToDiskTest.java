package dev.basalt.qemu;

import static dev.basalt.qemu.BootTestSupport.BOOT_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import dev.basalt.machinery.api.machine.ApplyConfigurationRequest;
import dev.basalt.machinery.api.machine.ApplyConfigurationResponse;
import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import dev.basalt.machinery.api.machine.MetaWriteRequest;
import dev.basalt.machinery.api.machine.ResetPartitionSpec;
import dev.basalt.machinery.api.machine.ResetRequest;
import dev.basalt.machinery.api.machine.ShutdownRequest;
import dev.basalt.machinery.api.resource.ListRequest;
import dev.basalt.machinery.api.resource.StateGrpc;
import dev.basalt.machinery.api.machine.VersionResponse;
import dev.basalt.machinery.client.MaintenanceTrust;
import dev.basalt.machinery.client.NodeClient;
import dev.basalt.machinery.clientconfig.ClientContext;
import dev.basalt.machinery.config.ConfigYaml;
import dev.basalt.machinery.config.patch.Patch;
import dev.basalt.machinery.config.patch.PatchParseResult;
import dev.basalt.machinery.config.patch.PatchResult;
import dev.basalt.machinery.generate.ConfigGenerator;
import dev.basalt.machinery.generate.GeneratedConfigs;
import dev.basalt.machinery.generate.GenerateOptions;
import dev.basalt.machinery.secrets.SecretsBundle;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Install to disk in QEMU, end to end: the ISO boots to maintenance with a blank 10 GiB disk and a 1 GiB one; bad
 * apply-config requests (missing disk, too small a disk, invalid config) are refused and leave the disks zero;
 * a control-plane config with STATE encrypted by a nodeID key and EPHEMERAL by a static passphrase installs and
 * reboots. On the host, sgdisk shows the layout and cryptsetup shows LUKS2 headers on STATE and EPHEMERAL. The
 * VM relaunched without the ISO boots from the disk (SeaBIOS), unlocks both volumes by itself and answers mTLS
 * version with the generated client config, while an insecure client is refused, and keeps a META key written
 * over the API; with META's first copy damaged on the host, it boots once more with OVMF and still has the key.
 * A reset of STATE and EPHEMERAL powers it off; booted again from the disk it is in maintenance mode.
 */
@Tag("integration")
class InstallToDiskTest {
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(12);
    private static final Duration API_TIMEOUT = Duration.ofMinutes(6);
    private static final Pattern SGDISK_ROW = Pattern.compile(
            "^\\s*(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+\\S+\\s+\\S+\\s+(\\S{4})\\s+(\\S+)\\s*$");

    @TempDir
    Path tmp;

    @Test
    void installsFromTheIsoAndBootsFromTheDiskWithEncryptedVolumes() throws Exception {
        BasaltImage image = BasaltImage.amd64();
        Path disk = sparse("disk.raw", 10L << 30);
        Path small = sparse("small.raw", 1L << 30);
        UUID machine = UUID.randomUUID();
        SecretsBundle secrets = SecretsBundle.generate();
        GeneratedConfigs generated = new ConfigGenerator().generate(GenerateOptions.builder("install",
                URI.create("https://10.0.2.15:6443"), secrets).installDisk("/dev/vda").build());
        String config = withEncryption(generated.controlPlane());

        int port = MaintenanceModeTest.freePort();
        try (QemuMachine vm = QemuMachine.builder().cdrom(image.iso()).disk(disk).disk(small).uuid(machine)
                .memoryMib(2048).hostForward(port, 50000)
                .serialLog(BootTestSupport.logFile("install-iso")).start()) {
            vm.awaitLine(BootTestSupport.BANNER, BOOT_TIMEOUT);
            try (NodeClient insecure = MaintenanceModeTest.client(port, Optional.empty())) {
                VersionResponse version = MaintenanceModeTest.awaitVersion(insecure, vm);
                System.out.println("install: maintenance API answered after " + vm.elapsed().toMillis() + " ms");
                assertThat(version.getMessages(0).getPlatform().getName()).isEqualTo("metal");

                assertRefused(insecure, MaintenanceModeTest.config("/dev/sdz"), Status.Code.FAILED_PRECONDITION,
                        "machine.install.disk /dev/sdz does not exist");
                assertRefused(insecure, MaintenanceModeTest.config("/dev/vdb"), Status.Code.FAILED_PRECONDITION,
                        "machine.install.disk /dev/vdb is too small");
                assertRefused(insecure, config.replace("type: controlplane", "type: nonsense"),
                        Status.Code.INVALID_ARGUMENT, "invalid machine config");
                assertThat(MaintenanceModeTest.allZero(disk)).as("bad input left the install disk untouched").isTrue();
                assertThat(MaintenanceModeTest.allZero(small)).as("bad input left the small disk untouched").isTrue();

                ApplyConfigurationResponse applied = MaintenanceModeTest.apply(insecure, config, false);
                assertThat(applied.getMessages(0).getModeDetails()).contains("installing to /dev/vda")
                        .contains("STATE encrypted").contains("EPHEMERAL encrypted");
            }
            vm.awaitLine("task reboot", INSTALL_TIMEOUT);
            vm.awaitExit(Duration.ofMinutes(2));
            System.out.println("install: installed and rebooted after " + vm.elapsed().toMillis() + " ms");
        }

        Map<String, long[]> partitions = partitions(disk);
        assertThat(partitions).containsOnlyKeys("EFI", "BIOS", "BOOT", "META", "STATE", "EPHEMERAL");
        String verify = run("sgdisk", "-v", disk.toString());
        assertThat(verify).contains("No problems found");
        for (String label : List.of("STATE", "EPHEMERAL")) {
            Path header = extract(disk, partitions.get(label)[0], 16L << 20, label + ".hdr");
            String dump = run("cryptsetup", "luksDump", header.toString());
            System.out.println("install: cryptsetup luksDump of " + label + ":\n" + dump);
            assertThat(dump).contains("Version:").containsPattern("Version:\\s+2").contains("basalt");
        }

        ClientContext admin = generated.clientConfig().current().orElseThrow();
        bootFromDisk(disk, machine, admin, Firmware.SEABIOS, (client, vm) -> {
            client.call(List.of(), ch -> MachineServiceGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .metaWrite(MetaWriteRequest.newBuilder().setKey(META_KEY)
                            .setValue(ByteString.copyFrom(META_VALUE, StandardCharsets.UTF_8)).build()));
            assertThat(metaKeys(client)).containsEntry("0x0c", META_VALUE);
        });

        // Damage the first of META's two copies: the next boot must read the second.
        long meta = partitions.get("META")[0];
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.seek(meta);
            byte[] garbage = new byte[4096];
            java.util.Arrays.fill(garbage, (byte) 0x5a);
            f.write(garbage);
        }
        bootFromDisk(disk, machine, admin, Firmware.OVMF, (client, vm) -> {
            assertThat(vm.printed("key(s) from copy 2")).as("the boot log says META came from copy 2").isTrue();
            assertThat(metaKeys(client)).as("META written before the reboot, read from the intact copy")
                    .containsEntry("0x0c", META_VALUE);
        }, ShutdownBy.RESET);

        // Reset wiped STATE and EPHEMERAL: the disk still boots, into maintenance mode.
        int resetPort = MaintenanceModeTest.freePort();
        try (QemuMachine vm = QemuMachine.builder().disk(disk).uuid(machine).memoryMib(2048)
                .hostForward(resetPort, 50000).serialLog(BootTestSupport.logFile("install-after-reset")).start()) {
            vm.awaitLine(BootTestSupport.BANNER, BOOT_TIMEOUT);
            assertThat(vm.printed("holds no file system")).as("STATE was wiped by the reset").isTrue();
            try (NodeClient insecure = MaintenanceModeTest.client(resetPort, Optional.empty())) {
                assertThat(MaintenanceModeTest.awaitVersion(insecure, vm).getMessages(0).getPlatform().getName())
                        .isEqualTo("metal");
            }
        }
        Map<String, long[]> after = partitions(disk);
        assertThat(after).as("a label reset keeps the partition table").containsKeys("BOOT", "STATE", "EPHEMERAL");
        for (String label : List.of("STATE", "EPHEMERAL")) {
            Path header = extract(disk, after.get(label)[0], 1L << 20, label + "-after-reset.hdr");
            assertThat(Files.readAllBytes(header)).as(label + " starts with zeros after the reset").containsOnly(0);
        }
    }

    /** How a boot from disk ends: a shutdown, or a reset of STATE and EPHEMERAL that powers off. */
    enum ShutdownBy { SHUTDOWN, RESET }

    private static final int META_KEY = 0x0c;
    private static final String META_VALUE = "kept-across-reboots";

    interface NodeCheck {
        void check(NodeClient client, QemuMachine vm) throws Exception;
    }

    /** The metakeys resources as id to value (the spec's {@code value:}, unquoted). */
    static Map<String, String> metaKeys(NodeClient client) {
        Map<String, String> out = new LinkedHashMap<>();
        client.call(List.of(), ch -> {
            StateGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS).list(ListRequest.newBuilder()
                    .setNamespace("runtime").setType("MetaKeys.runtime.talos.dev").build()).forEachRemaining(r -> {
                        String yaml = r.getResource().getSpec().getYamlSpec().strip();
                        String value = yaml.startsWith("value:") ? yaml.substring("value:".length()).strip() : yaml;
                        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                            value = value.substring(1, value.length() - 1);
                        }
                        out.put(r.getResource().getMetadata().getId(), value);
                    });
            return null;
        });
        return out;
    }

    private void bootFromDisk(Path disk, UUID machine, ClientContext admin, Firmware firmware, NodeCheck then)
            throws Exception {
        bootFromDisk(disk, machine, admin, firmware, then, ShutdownBy.SHUTDOWN);
    }

    private void bootFromDisk(Path disk, UUID machine, ClientContext admin, Firmware firmware, NodeCheck then,
                              ShutdownBy end) throws Exception {
        int port = MaintenanceModeTest.freePort();
        String name = firmware.name().toLowerCase();
        try (QemuMachine vm = QemuMachine.builder().disk(disk).uuid(machine).firmware(firmware).memoryMib(2048)
                .hostForward(port, 50000).serialLog(BootTestSupport.logFile("install-disk-" + name)).start()) {
            vm.awaitLine("config found on STATE", BOOT_TIMEOUT);
            assertThat(vm.printed("LUKS2, unlocked")).as("STATE was unlocked").isTrue();
            try (NodeClient client = NodeClient.of(admin, List.of("127.0.0.1:" + port))) {
                VersionResponse version = awaitVersion(client, vm);
                System.out.println("install: " + firmware + " boot from disk answered mTLS version after "
                        + vm.elapsed().toMillis() + " ms");
                assertThat(version.getMessages(0).getPlatform().getName()).isEqualTo("metal");
            }
            assertThat(vm.lines().stream().filter(l -> l.contains("EPHEMERAL") && l.contains("LUKS2, unlocked"))
                    .findAny()).as("EPHEMERAL was unlocked").isPresent();
            try (NodeClient insecure = MaintenanceModeTest.client(port, Optional.empty())) {
                assertThatThrownBy(() -> MaintenanceModeTest.version(insecure))
                        .as("a client without a certificate is refused").isInstanceOf(StatusRuntimeException.class);
            }
            try (NodeClient client = NodeClient.of(admin, List.of("127.0.0.1:" + port))) {
                then.check(client, vm);
                if (end == ShutdownBy.RESET) {
                    client.call(List.of(), ch -> MachineServiceGrpc.newBlockingStub(ch)
                            .withDeadlineAfter(30, TimeUnit.SECONDS).reset(ResetRequest.newBuilder().setGraceful(true)
                                    .setReboot(false)
                                    .addSystemPartitionsToWipe(ResetPartitionSpec.newBuilder().setLabel("STATE")
                                            .setWipe(true))
                                    .addSystemPartitionsToWipe(ResetPartitionSpec.newBuilder().setLabel("EPHEMERAL")
                                            .setWipe(true)).build()));
                } else {
                    client.call(List.of(), ch -> MachineServiceGrpc.newBlockingStub(ch)
                            .withDeadlineAfter(30, TimeUnit.SECONDS).shutdown(ShutdownRequest.getDefaultInstance()));
                }
            }
            vm.awaitExit(Duration.ofMinutes(3));
            assertThat(vm.printed("Kernel panic")).isFalse();
            if (end == ShutdownBy.RESET) {
                assertThat(vm.printed("wiped STATE, EPHEMERAL")).as("the reset wiped both").isTrue();
            }
        }
    }

    private static void assertRefused(NodeClient client, String config, Status.Code code, String message) {
        assertThatThrownBy(() -> MaintenanceModeTest.apply(client, config, false))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(code))
                .hasMessageContaining(message);
    }

    static VersionResponse awaitVersion(NodeClient client, QemuMachine vm) throws InterruptedException {
        long deadline = System.nanoTime() + API_TIMEOUT.toNanos();
        while (true) {
            try {
                return client.call(List.of(), ch -> MachineServiceGrpc.newBlockingStub(ch)
                        .withDeadlineAfter(20, TimeUnit.SECONDS).version(Empty.getDefaultInstance()));
            } catch (StatusRuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("mTLS version did not answer within " + API_TIMEOUT + "; console:\n"
                            + vm.tail(60), e);
                }
                Thread.sleep(2000);
            }
        }
    }

    /** STATE sealed to this machine (nodeID), EPHEMERAL with a passphrase. */
    static String withEncryption(Map<String, Object> tree) {
        String patch = """
                machine:
                  systemDiskEncryption:
                    state:
                      provider: luks2
                      keys:
                        - slot: 0
                          nodeID: {}
                    ephemeral:
                      provider: luks2
                      keys:
                        - slot: 0
                          static:
                            passphrase: install-test-passphrase
                """;
        Patch parsed = switch (Patch.parse(patch, "encryption patch")) {
            case PatchParseResult.Parsed p -> p.patch();
            case PatchParseResult.Rejected r -> throw new IllegalStateException(r.problems().toString());
        };
        return switch (Patch.applyAll(tree, List.of(parsed))) {
            case PatchResult.Applied a -> ConfigYaml.encode(a.tree());
            case PatchResult.Failed f -> throw new IllegalStateException(f.problems().toString());
        };
    }

    private Path sparse(String name, long size) throws IOException {
        Path file = tmp.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        return file;
    }

    /** Partition name to {first byte, size in bytes}, from {@code sgdisk -p}. */
    static Map<String, long[]> partitions(Path disk) throws IOException, InterruptedException {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String line : run("sgdisk", "-p", disk.toString()).lines().toList()) {
            Matcher m = SGDISK_ROW.matcher(line);
            if (m.matches()) {
                long first = Long.parseLong(m.group(2));
                long last = Long.parseLong(m.group(3));
                out.put(m.group(5), new long[] {first * 512, (last - first + 1) * 512});
            }
        }
        return out;
    }

    private Path extract(Path disk, long offset, long length, String name) throws IOException {
        Path out = tmp.resolve(name);
        try (RandomAccessFile in = new RandomAccessFile(disk.toFile(), "r")) {
            byte[] buffer = new byte[(int) length];
            in.seek(offset);
            in.readFully(buffer);
            Files.write(out, buffer);
        }
        return out;
    }

    static String run(String... argv) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(argv));
        Path exe = Path.of("/usr/sbin", argv[0]);
        if (Files.isExecutable(exe)) {
            command.set(0, exe.toString());
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " failed:\n" + output);
        }
        return output;
    }
}
