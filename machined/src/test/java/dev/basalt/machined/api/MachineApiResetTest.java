package dev.basalt.machined.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.machined.api.MachineApiMetaTest.Capture;
import dev.basalt.machined.services.LogBuffer;
import dev.basalt.machinery.api.BuildInfo;
import dev.basalt.machinery.api.machine.ResetPartitionSpec;
import dev.basalt.machinery.api.machine.ResetRequest;
import dev.basalt.machinery.api.machine.ResetResponse;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MachineApiResetTest {
    /** Records plans; refuses while "busy", and refuses /dev/sda as the system disk like a real node would. */
    static final class FakeResets implements ResetControl {
        final List<ResetPlan> plans = new ArrayList<>();
        boolean busy;

        @Override
        public synchronized PowerControl.Decision reset(ResetPlan plan) throws NodeApiException {
            if (plan.userDisks().contains("/dev/sda")) {
                throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT,
                        "Reset: /dev/sda is the system disk; wipe it with the system disk modes");
            }
            if (busy) {
                return new PowerControl.Refused("an upgrade is in progress; reset after it finishes");
            }
            plans.add(plan);
            return new PowerControl.Scheduled("reset-" + plans.size());
        }
    }

    private final FakeResets resets = new FakeResets();

    private static MachineApi api(ResetControl control) {
        SelfServices services = new SelfServices(new LogBuffer(16, 1 << 20), Instant.now());
        return new MachineApi(LinuxHostFacts.system(Optional.of("node-1")), KmsgKernelLog.system(), services,
                new ProcessPower(() -> { }, Duration.ofSeconds(1)), new UnconfiguredNode(), BuildInfo.current(),
                "metal", MetaAccess.NONE, control);
    }

    private Capture<ResetResponse> reset(ResetControl control, ResetRequest request) {
        Capture<ResetResponse> out = new Capture<>();
        api(control).reset(request, out);
        return out;
    }

    private Capture<ResetResponse> reset(ResetRequest request) {
        return reset(resets, request);
    }

    private static ResetPartitionSpec wipe(String label) {
        return ResetPartitionSpec.newBuilder().setLabel(label).setWipe(true).build();
    }

    @Test
    void anEmptyRequestWipesTheWholeSystemDiskAndPowersOff() {
        Capture<ResetResponse> out = reset(ResetRequest.getDefaultInstance());
        assertThat(out.error).isNull();
        assertThat(out.values).singleElement().satisfies(r -> {
            assertThat(r.getMessages(0).getMetadata().getHostname()).isEqualTo("node-1");
            assertThat(r.getMessages(0).getActorId()).isEqualTo("reset-1");
        });
        assertThat(resets.plans).containsExactly(
                new ResetPlan(false, false, List.of(), List.of(), ResetPlan.WipeMode.ALL));
        assertThat(resets.plans.getFirst().wipesWholeSystemDisk()).isTrue();
    }

    @Test
    void labelsUserDisksAndFlagsReachThePlanInOrderWithoutDuplicates() {
        Capture<ResetResponse> out = reset(ResetRequest.newBuilder().setGraceful(true).setReboot(true)
                .addSystemPartitionsToWipe(wipe("EPHEMERAL")).addSystemPartitionsToWipe(wipe("STATE"))
                .addSystemPartitionsToWipe(wipe("EPHEMERAL"))
                .addSystemPartitionsToWipe(ResetPartitionSpec.newBuilder().setLabel("META"))
                .addUserDisksToWipe("/dev/sdb").addUserDisksToWipe("/dev/disk/by-id/nvme-x")
                .addUserDisksToWipe("/dev/sdb").build());
        assertThat(out.error).isNull();
        ResetPlan plan = resets.plans.getFirst();
        assertThat(plan).isEqualTo(new ResetPlan(true, true, List.of("EPHEMERAL", "STATE"),
                List.of("/dev/sdb", "/dev/disk/by-id/nvme-x"), ResetPlan.WipeMode.ALL));
        assertThat(plan.wipesSystemDisk()).isTrue();
        assertThat(plan.wipesWholeSystemDisk()).isFalse();
    }

    @Test
    void userDisksModeLeavesTheSystemDiskAlone() {
        assertThat(reset(ResetRequest.newBuilder().setMode(ResetRequest.WipeMode.USER_DISKS)
                .addUserDisksToWipe("/dev/vdb").build()).error).isNull();
        ResetPlan plan = resets.plans.getFirst();
        assertThat(plan.mode()).isEqualTo(ResetPlan.WipeMode.USER_DISKS);
        assertThat(plan.wipesSystemDisk()).isFalse();
        assertThat(plan.wipesWholeSystemDisk()).isFalse();
    }

    @Test
    void aLabelOutsideStateEphemeralAndMetaIsInvalidAndNamesTheAllowedOnes() {
        for (String label : new String[] {"BOOT", "EFI", "state", ""}) {
            Capture<ResetResponse> out = reset(ResetRequest.newBuilder().addSystemPartitionsToWipe(wipe("STATE"))
                    .addSystemPartitionsToWipe(wipe(label)).build());
            assertThat(out.status().getCode()).as(label).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(out.status().getDescription()).as(label).contains("\"" + label + "\"")
                    .contains("STATE, EPHEMERAL, META");
        }
        assertThat(resets.plans).isEmpty();
    }

    @Test
    void userDisksMustBeAbsoluteDevPaths() {
        for (String disk : new String[] {"sdb", "/dev/", "/dev/../sda", "/var/lib/disk.img"}) {
            Capture<ResetResponse> out = reset(ResetRequest.newBuilder().addUserDisksToWipe(disk).build());
            assertThat(out.status().getCode()).as(disk).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(out.status().getDescription()).as(disk).contains("\"" + disk + "\"").contains("/dev");
        }
        assertThat(resets.plans).isEmpty();
    }

    @Test
    void requestsThatContradictTheirModeOrWipeNothingAreRefused() {
        assertThat(reset(ResetRequest.newBuilder().setMode(ResetRequest.WipeMode.USER_DISKS)
                .addSystemPartitionsToWipe(wipe("STATE")).addUserDisksToWipe("/dev/sdb").build())
                .status().getDescription()).contains("USER_DISKS").contains("[STATE]");
        assertThat(reset(ResetRequest.newBuilder().setMode(ResetRequest.WipeMode.USER_DISKS).build())
                .status().getDescription()).contains("at least one user disk");
        assertThat(reset(ResetRequest.newBuilder().setMode(ResetRequest.WipeMode.SYSTEM_DISK)
                .addUserDisksToWipe("/dev/sdb").build()).status().getDescription())
                .contains("SYSTEM_DISK").contains("/dev/sdb");
        // STATE listed without wipe: an empty label list would mean the whole disk, so it is not guessed at
        assertThat(reset(ResetRequest.newBuilder().addSystemPartitionsToWipe(
                ResetPartitionSpec.newBuilder().setLabel("STATE")).build()).status().getDescription())
                .contains("no system partition has wipe set");
        assertThat(reset(ResetRequest.newBuilder().setModeValue(7).build()).status().getDescription())
                .contains("wipe mode 7");
        assertThat(resets.plans).isEmpty();
    }

    @Test
    void theImplementationsRefusalsReachTheCaller() {
        Capture<ResetResponse> systemDisk = reset(ResetRequest.newBuilder().addUserDisksToWipe("/dev/sda").build());
        assertThat(systemDisk.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(systemDisk.status().getDescription()).contains("/dev/sda is the system disk");
        resets.busy = true;
        Capture<ResetResponse> busy = reset(ResetRequest.getDefaultInstance());
        assertThat(busy.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(busy.status().getDescription()).isEqualTo("an upgrade is in progress; reset after it finishes");
    }

    @Test
    void aNodeWithoutResetRefusesWithFailedPrecondition() {
        Capture<ResetResponse> out = reset(ResetControl.NONE, ResetRequest.newBuilder().setReboot(true).build());
        assertThat(out.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(out.status().getDescription()).isEqualTo("reset is not supported on this node");
    }

    @Test
    void theOlderConstructorsServeNoReset() {
        SelfServices services = new SelfServices(new LogBuffer(16, 1 << 20), Instant.now());
        MachineApi api = new MachineApi(LinuxHostFacts.system(Optional.of("node-1")), KmsgKernelLog.system(),
                services, new ProcessPower(() -> { }, Duration.ofSeconds(1)), new UnconfiguredNode(),
                BuildInfo.current(), "process");
        Capture<ResetResponse> out = new Capture<>();
        api.reset(ResetRequest.getDefaultInstance(), out);
        assertThat(out.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(out.status().getDescription()).isEqualTo("reset is not supported on this node");
    }
}
