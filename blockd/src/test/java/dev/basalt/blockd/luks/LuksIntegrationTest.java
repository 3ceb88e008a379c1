package dev.basalt.blockd.luks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.blockd.fs.LinuxMounter;
import dev.basalt.blockd.fs.Mkfs;
import dev.basalt.blockd.testing.LoopDevice;
import dev.basalt.machinery.exec.Command;
import dev.basalt.machinery.exec.ProcessExec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LUKS2 on a loop device with the real cryptsetup. Needs root. */
@Tag("integration")
class LuksIntegrationTest {
    private static final LuksOptions FAST = new LuksOptions(Optional.empty(), 0, 32 * 1024, 100);

    @TempDir
    Path dir;

    private final ProcessExec exec = ProcessExec.system();
    private final Luks luks = new Luks(exec);
    private final VolumeEncryption enc = new VolumeEncryption(luks);

    @Test
    void nodeIdFormatLeavesLuks2WithOurTokenAndOnlyThisMachinesKeyOpensIt() throws IOException {
        KeyProvider.NodeId nodeId = nodeId("0badc0de-1234-4321-abcd-0123456789ab");
        try (LoopDevice loop = LoopDevice.attach(dir.resolve("state.img"), 64L * 1024 * 1024)) {
            enc.format(loop.path(), "STATE", List.of(new VolumeEncryption.SlotKey(0, nodeId)), FAST);

            String dump = exec.check(Command.of("cryptsetup", "luksDump", loop.path().toString())).stdoutText();
            assertThat(dump).containsPattern("Version:\\s+2").contains("basalt-key").contains("Keyslot:    0");
            assertThat(luks.isLuks2(loop.path())).isTrue();
            assertThat(luks.tokens(loop.path())).containsExactly(new KeyToken(0, "nodeID"));
            assertThat(luks.keyOpens(loop.path(), nodeId.key("STATE"))).isTrue();
            assertThat(luks.keyOpens(loop.path(), nodeId.key("EPHEMERAL"))).isFalse();
            assertThat(luks.keyOpens(loop.path(),
                    nodeId("0badc0de-1234-4321-abcd-ffffffffffff").key("STATE"))).isFalse();
        }
    }

    @Test
    void staticKeyTokenRecordsItsSlot() throws IOException {
        KeyProvider.Static key = new KeyProvider.Static("correct horse battery staple");
        try (LoopDevice loop = LoopDevice.attach(dir.resolve("eph.img"), 64L * 1024 * 1024)) {
            enc.format(loop.path(), "EPHEMERAL", List.of(new VolumeEncryption.SlotKey(3, key)), FAST);
            assertThat(luks.tokens(loop.path())).containsExactly(new KeyToken(3, "static"));
            assertThat(luks.keyOpens(loop.path(), key.key("EPHEMERAL"))).isTrue();
        }
    }

    /**
     * The whole cycle through device-mapper. Kernels without dm-crypt (this build machine's) cannot map a LUKS
     * volume at all, so this runs where /proc/misc lists device-mapper (Basalt's own kernel in QEMU, CI hosts
     * with dm_mod) and is reported as skipped elsewhere.
     */
    @Test
    void unlockedVolumeCarriesXfsAcrossCloseAndReopen() throws IOException {
        Assumptions.assumeTrue(Files.readString(Path.of("/proc/misc")).contains("device-mapper"),
                "kernel has no device-mapper");
        KeyProvider.NodeId nodeId = nodeId("0badc0de-1234-4321-abcd-0123456789ab");
        String mapper = "basalt-test-state-" + ProcessHandle.current().pid();
        LinuxMounter mounter = new LinuxMounter();
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        try (LoopDevice loop = LoopDevice.attach(dir.resolve("state.img"), 400L * 1024 * 1024)) {
            enc.format(loop.path(), "STATE", List.of(new VolumeEncryption.SlotKey(0, nodeId)), FAST);
            Path opened = enc.unlock(loop.path(), "STATE", mapper, nodeId, Map.of());
            try {
                new Mkfs(exec).xfs(opened, "STATE");
                mounter.mount(opened, mnt, "xfs", "");
                Files.writeString(mnt.resolve("config.yaml"), "version: v1alpha1\n");
                mounter.unmount(mnt);
            } finally {
                luks.close(mapper);
            }
            Path again = enc.unlock(loop.path(), "STATE", mapper, nodeId, Map.of());
            try {
                mounter.mount(again, mnt, "xfs", "ro");
                assertThat(Files.readString(mnt.resolve("config.yaml"))).isEqualTo("version: v1alpha1\n");
                mounter.unmount(mnt);
            } finally {
                luks.close(mapper);
            }
            assertThatThrownBy(() -> enc.unlock(loop.path(), "STATE", mapper,
                    nodeId("0badc0de-1234-4321-abcd-ffffffffffff"), Map.of()))
                    .hasMessageContaining("could not unlock").hasMessageContaining("slot 0 (nodeID)");
        } finally {
            exec.run(Command.of("umount", mnt.toString()));
            exec.run(Command.of("cryptsetup", "close", mapper));
        }
    }

    private KeyProvider.NodeId nodeId(String uuid) throws IOException {
        return new KeyProvider.NodeId(Files.writeString(Files.createTempFile(dir, "uuid", ""), uuid + "\n"));
    }
}
