package dev.basalt.ctl.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.ctl.CtlRunner;
import dev.basalt.ctl.FakeMaintenanceNode;
import dev.basalt.ctl.cli.UsageException;
import dev.basalt.machinery.api.machine.ResetPartitionSpec;
import dev.basalt.machinery.api.machine.ResetRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResetCommandTest {
    @TempDir
    Path dir;

    private static ResetPartitionSpec wipe(String label) {
        return ResetPartitionSpec.newBuilder().setLabel(label).setWipe(true).build();
    }

    @Test
    void defaultsAreGracefulNoRebootAndTheWholeSystemDisk() throws Exception {
        try (FakeMaintenanceNode node = new FakeMaintenanceNode()) {
            CtlRunner.Result r = new CtlRunner(dir).run("-i", "-n", node.endpoint(), "reset");
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("fake-node: reset scheduled\n");
            assertThat(node.resets).containsExactly(ResetRequest.newBuilder().setGraceful(true).setReboot(false)
                    .setMode(ResetRequest.WipeMode.ALL).build());
        }
    }

    @Test
    void flagsBecomeTalosctlsRequest() throws Exception {
        try (FakeMaintenanceNode node = new FakeMaintenanceNode()) {
            CtlRunner.Result r = new CtlRunner(dir).run("-i", "-n", node.endpoint(), "reset", "--graceful=false",
                    "--reboot", "--system-labels-to-wipe", "STATE", "--system-labels-to-wipe", "EPHEMERAL,META",
                    "--user-disks-to-wipe", "/dev/sdb,/dev/nvme1n1", "--wipe-mode", "all");
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(node.resets).singleElement().isEqualTo(ResetRequest.newBuilder().setGraceful(false)
                    .setReboot(true).setMode(ResetRequest.WipeMode.ALL)
                    .addSystemPartitionsToWipe(wipe("STATE")).addSystemPartitionsToWipe(wipe("EPHEMERAL"))
                    .addSystemPartitionsToWipe(wipe("META"))
                    .addAllUserDisksToWipe(List.of("/dev/sdb", "/dev/nvme1n1")).build());
        }
    }

    @Test
    void wipeModesMapOntoTheEnum() {
        assertThat(ResetCommand.request(true, false, "system-disk", List.of("STATE"), List.of()).getMode())
                .isEqualTo(ResetRequest.WipeMode.SYSTEM_DISK);
        assertThat(ResetCommand.request(true, false, "user-disks", List.of(), List.of("/dev/sdb")).getMode())
                .isEqualTo(ResetRequest.WipeMode.USER_DISKS);
    }

    @Test
    void badFlagValuesAreUsageErrorsNamingTheFlagAndValue() {
        assertThatThrownBy(() -> ResetCommand.request(true, false, "everything", List.of(), List.of()))
                .isInstanceOf(UsageException.class)
                .hasMessage("--wipe-mode: 'everything' is not one of all, system-disk, user-disks");
        assertThatThrownBy(() -> ResetCommand.request(true, false, "all", List.of("BOOT"), List.of()))
                .isInstanceOf(UsageException.class)
                .hasMessage("--system-labels-to-wipe: 'BOOT' cannot be wiped; allowed: STATE, EPHEMERAL, META");
        assertThatThrownBy(() -> ResetCommand.request(true, false, "all", List.of("state"), List.of()))
                .hasMessageContaining("'state'").hasMessageContaining("(labels are upper case: STATE)");
        assertThatThrownBy(() -> ResetCommand.request(true, false, "all", List.of(), List.of("sdb")))
                .isInstanceOf(UsageException.class)
                .hasMessage("--user-disks-to-wipe: 'sdb' is not an absolute device path under /dev (e.g. /dev/sdb)");
        assertThatThrownBy(() -> ResetCommand.request(true, false, "user-disks", List.of("STATE"),
                List.of("/dev/sdb"))).hasMessageContaining("--system-labels-to-wipe cannot be used with --wipe-mode "
                + "user-disks");
        assertThatThrownBy(() -> ResetCommand.request(true, false, "user-disks", List.of(), List.of()))
                .hasMessage("--wipe-mode user-disks needs --user-disks-to-wipe");
        assertThatThrownBy(() -> ResetCommand.request(true, false, "system-disk", List.of(),
                List.of("/dev/sdb"))).hasMessageContaining("--user-disks-to-wipe cannot be used with --wipe-mode "
                + "system-disk");
    }

    @Test
    void aBadFlagIsRefusedBeforeAnythingIsSent() throws Exception {
        try (FakeMaintenanceNode node = new FakeMaintenanceNode()) {
            CtlRunner ctl = new CtlRunner(dir);
            CtlRunner.Result mode = ctl.run("-i", "-n", node.endpoint(), "reset", "--wipe-mode", "disks");
            assertThat(mode.status()).isEqualTo(2);
            assertThat(mode.err()).contains("--wipe-mode: 'disks' is not one of all, system-disk, user-disks");
            CtlRunner.Result label = ctl.run("-i", "-n", node.endpoint(), "reset", "--system-labels-to-wipe",
                    "STATE,EFI");
            assertThat(label.status()).isEqualTo(2);
            assertThat(label.err()).contains("'EFI' cannot be wiped");
            CtlRunner.Result graceful = ctl.run("-i", "-n", node.endpoint(), "reset", "--graceful=maybe");
            assertThat(graceful.status()).isEqualTo(2);
            CtlRunner.Result args = ctl.run("-i", "-n", node.endpoint(), "reset", "now");
            assertThat(args.status()).isNotZero();
            assertThat(node.resets).isEmpty();
        }
    }

    @Test
    void aNodesRefusalReachesTheUser() throws Exception {
        try (FakeMaintenanceNode node = new FakeMaintenanceNode()) {
            CtlRunner.Result r = new CtlRunner(dir).run("-i", "-n", node.endpoint(), "reset", "--user-disks-to-wipe",
                    "/dev/sdz");
            assertThat(r.status()).isNotZero();
            assertThat(r.err()).contains("INVALID_ARGUMENT").contains("user disk /dev/sdz was not found");
        }
    }

    @Test
    void helpShowsTalosctlsFlags() {
        CtlRunner.Result r = new CtlRunner(dir).run("reset", "--help");
        assertThat(r.out() + r.err()).contains("--graceful").contains("--reboot").contains("--system-labels-to-wipe")
                .contains("--user-disks-to-wipe").contains("--wipe-mode").contains("(default all)");
    }
}
