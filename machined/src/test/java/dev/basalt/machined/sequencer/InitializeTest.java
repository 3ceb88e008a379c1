package dev.basalt.machined.sequencer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InitializeTest {
    @TempDir
    Path root;

    private final List<String> banner = new ArrayList<>();
    private final Sequencer sequencer = new Sequencer(new PrintStream(new ByteArrayOutputStream()), System::nanoTime);

    @Test
    void withoutConfigShowsTheMaintenanceBannerWithAddresses() {
        Initialize init = new Initialize(root, Map.of(), () -> List.of("10.0.2.15 (eth0)"), banner::addAll);
        SequenceOutcome outcome = sequencer.run(init.sequence(List.of()));

        assertThat(outcome).isInstanceOf(SequenceOutcome.Completed.class);
        assertThat(init.configSource()).contains(new Initialize.NoConfig());
        assertThat(banner).anyMatch(l -> l.contains(Initialize.MAINTENANCE_TITLE))
                .anyMatch(l -> l.contains("10.0.2.15 (eth0)"))
                .anyMatch(l -> l.contains("basaltctl apply-config --insecure --nodes IP --file controlplane.yaml"));
        assertThat(root.resolve("system/state")).isDirectory();
        assertThat(root.resolve("var/log")).isDirectory();
    }

    @Test
    void saysSoWhenThereIsNoAddressYet() {
        Initialize init = new Initialize(root, Map.of(), List::of, banner::addAll);
        sequencer.run(init.sequence(List.of()));
        assertThat(banner).anyMatch(l -> l.contains("none yet"));
    }

    @Test
    void configOnStateWinsOverTheKernelCommandLine() throws IOException {
        Files.createDirectories(root.resolve("system/state"));
        Files.writeString(root.resolve("system/state/config.yaml"), "version: v1alpha1\n");
        Initialize init = new Initialize(root, Map.of("basalt.config", "http://10.0.2.2/c.yaml"), List::of,
                banner::addAll);
        sequencer.run(init.sequence(List.of()));
        assertThat(init.configSource()).containsInstanceOf(Initialize.StateConfig.class);
        assertThat(banner).isEmpty();
    }

    @Test
    void kernelCommandLineConfigSkipsMaintenance() {
        Initialize init = new Initialize(root, Map.of("basalt.config", "http://10.0.2.2/c.yaml"), List::of,
                banner::addAll);
        sequencer.run(init.sequence(List.of()));
        assertThat(init.configSource()).contains(new Initialize.KernelArgumentConfig("http://10.0.2.2/c.yaml"));
        assertThat(banner).isEmpty();
    }
    /** Records whether it was started; reports a fixed fingerprint. */
    private static final class RecordingMaintenance implements Initialize.Maintenance {
        int starts;

        @Override
        public String start() {
            starts++;
            return "ab".repeat(32);
        }

        @Override
        public List<String> addresses() {
            return List.of("10.0.2.15 (eth0)");
        }
    }

    @Test
    void withoutConfigStartsMaintenanceServicesAndShowsTheFingerprintCommands() {
        RecordingMaintenance maintenance = new RecordingMaintenance();
        Initialize init = new Initialize(root, Map.of(), maintenance, banner::addAll);
        assertThat(sequencer.run(init.sequence(List.of()))).isInstanceOf(SequenceOutcome.Completed.class);
        assertThat(maintenance.starts).isEqualTo(1);
        assertThat(banner).anyMatch(l -> l.contains("10.0.2.15 (eth0)"))
                .anyMatch(l -> l.contains("fingerprint (SHA-256): " + "ab".repeat(32)))
                .anyMatch(l -> l.contains("basaltctl apply-config --insecure --nodes IP --cert-fingerprint "
                        + "ab".repeat(32) + " --file controlplane.yaml"));
    }

    @Test
    void withAConfigMaintenanceServicesDoNotStart() {
        RecordingMaintenance maintenance = new RecordingMaintenance();
        Initialize init = new Initialize(root, Map.of("basalt.config", "http://10.0.2.2/c.yaml"), maintenance,
                banner::addAll);
        sequencer.run(init.sequence(List.of()));
        assertThat(maintenance.starts).isZero();
        assertThat(banner).isEmpty();
    }
}
