package dev.basalt.machinery.config.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.machinery.config.ConfigLoader;
import dev.basalt.machinery.config.ConfigYaml;
import dev.basalt.machinery.config.LoadResult;
import dev.basalt.machinery.config.MachineConfig;
import dev.basalt.machinery.config.ValidationMode;
import dev.basalt.machinery.config.patch.Patch;
import dev.basalt.machinery.config.patch.PatchParseResult;
import dev.basalt.machinery.config.patch.PatchResult;
import dev.basalt.machinery.generate.ConfigGenerator;
import dev.basalt.machinery.generate.GenerateOptions;
import dev.basalt.machinery.secrets.SecretsBundle;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ApplyPlannerTest {
    private static String worker;
    private static MachineConfig current;
    private final ApplyPlanner planner = new ApplyPlanner(ValidationMode.METAL);

    @BeforeAll
    static void generate() {
        var generated = new ConfigGenerator().generate(
                GenerateOptions.builder("demo", URI.create("https://10.5.0.2:6443"), SecretsBundle.generate()).build());
        worker = ConfigYaml.encode(generated.worker());
        current = ((LoadResult.Loaded) ConfigLoader.load(worker, "worker.yaml")).config();
    }

    private static String patched(String patch) {
        Patch parsed = ((PatchParseResult.Parsed) Patch.parse(patch, "patch")).patch();
        Map<String, Object> tree = ((PatchResult.Applied) parsed.applyTo(current.tree())).tree();
        return ConfigYaml.encode(tree);
    }

    @Test
    void maintenanceModeInstallsAndRefusesStagedOrTry() {
        assertThat(planner.plan(Optional.empty(), worker, "w", ApplyMode.AUTO, Duration.ofMinutes(1)))
                .isInstanceOf(ApplyPlan.Install.class);
        assertThat(planner.plan(Optional.empty(), worker, "w", ApplyMode.STAGED, Duration.ofMinutes(1)))
                .isInstanceOfSatisfying(ApplyPlan.Rejected.class, r -> assertThat(r.problems().getFirst().message())
                        .contains("maintenance mode"));
    }

    @Test
    void liveChangesApplyWithoutRebootInAutoMode() {
        String next = patched("machine:\n  network:\n    hostname: w-1\n");
        ApplyPlan plan = planner.plan(Optional.of(current), next, "w", ApplyMode.AUTO, Duration.ofMinutes(1));
        assertThat(plan).isInstanceOfSatisfying(ApplyPlan.ApplyNow.class, p -> {
            assertThat(p.changedPaths()).containsExactly("machine.network.hostname");
            assertThat(p.diff()).contains("+        hostname: w-1");
        });
    }

    @Test
    void encryptionChangeNeedsARebootAndNoRebootModeRefusesIt() {
        String next = patched("""
                machine:
                  systemDiskEncryption:
                    state:
                      provider: luks2
                      keys:
                        - slot: 0
                          nodeID: {}
                """);
        assertThat(planner.plan(Optional.of(current), next, "w", ApplyMode.AUTO, Duration.ofMinutes(1)))
                .isInstanceOfSatisfying(ApplyPlan.Reboot.class, p -> assertThat(p.rebootReasons())
                        .containsExactly("machine.systemDiskEncryption"));
        assertThat(planner.plan(Optional.of(current), next, "w", ApplyMode.NO_REBOOT, Duration.ofMinutes(1)))
                .isInstanceOfSatisfying(ApplyPlan.Rejected.class, r -> assertThat(r.problems().getFirst().message())
                        .contains("needs a reboot"));
        assertThat(planner.plan(Optional.of(current), next, "w", ApplyMode.STAGED, Duration.ofMinutes(1)))
                .isInstanceOf(ApplyPlan.Stage.class);
    }

    @Test
    void tryModeCarriesItsTimeout() {
        String next = patched("machine:\n  sysctls:\n    net.ipv4.ip_forward: \"1\"\n");
        assertThat(planner.plan(Optional.of(current), next, "w", ApplyMode.TRY, Duration.ofSeconds(90)))
                .isInstanceOfSatisfying(ApplyPlan.Try.class, p -> assertThat(p.details()).contains("90s"));
        assertThat(planner.plan(Optional.of(current), next, "w", ApplyMode.TRY, Duration.ZERO))
                .isInstanceOf(ApplyPlan.Rejected.class);
    }

    @Test
    void invalidConfigAndTypeChangeAreRejected() {
        assertThat(planner.plan(Optional.of(current), "version: v1alpha1\nmachine: [", "bad.yaml", ApplyMode.AUTO,
                Duration.ofMinutes(1))).isInstanceOfSatisfying(ApplyPlan.Rejected.class,
                r -> assertThat(r.problems().getFirst().toString()).startsWith("bad.yaml:"));
        String controlPlane = patched("machine:\n  type: controlplane\n");
        assertThat(planner.plan(Optional.of(current), controlPlane, "cp", ApplyMode.AUTO, Duration.ofMinutes(1)))
                .isInstanceOf(ApplyPlan.Rejected.class);
    }

    @Test
    void modesParseFromCliNames() {
        assertThat(List.of("auto", "no-reboot", "reboot", "staged", "try")).extracting(ApplyMode::parse)
                .containsExactly(ApplyMode.AUTO, ApplyMode.NO_REBOOT, ApplyMode.REBOOT, ApplyMode.STAGED, ApplyMode.TRY);
        assertThat(ApplyMode.values()).extracting(Enum::ordinal).containsExactly(0, 1, 2, 3, 4);
    }
}
