package dev.basalt.machinery.config.apply;

import dev.basalt.machinery.config.MachineConfig;
import dev.basalt.machinery.config.Problem;
import java.time.Duration;
import java.util.List;

/**
 * What a node will do with a config it was given: the outcome of {@link ApplyPlanner#plan}. Every accepted plan
 * carries the validated config, its warnings, the paths that changed and a unified diff against the current
 * config, so a dry run can print exactly what would happen. Immutable.
 */
public sealed interface ApplyPlan permits ApplyPlan.Accepted, ApplyPlan.Rejected {

    /** The mode the node reports back (what it actually does). */
    ApplyMode mode();

    /** One sentence for the user, as the API's {@code mode_details}. */
    String details();

    /** Accepted plans: the config and what changed. */
    sealed interface Accepted extends ApplyPlan permits Install, ApplyNow, Reboot, Stage, Try {
        MachineConfig config();

        List<Problem> warnings();

        List<String> changedPaths();

        String diff();
    }

    /** No config yet (maintenance mode): install (or, with nothing to install, just boot) with this config. */
    record Install(MachineConfig config, List<Problem> warnings, List<String> changedPaths, String diff) implements Accepted {
        public ApplyMode mode() {
            return ApplyMode.REBOOT;
        }

        public String details() {
            return "Applied configuration in maintenance mode: the node installs and boots with it";
        }
    }

    /** Every change is applied live. */
    record ApplyNow(MachineConfig config, List<Problem> warnings, List<String> changedPaths, String diff) implements Accepted {
        public ApplyMode mode() {
            return ApplyMode.NO_REBOOT;
        }

        public String details() {
            return changedPaths.isEmpty() ? "Applied configuration without a reboot (no changes)"
                    : "Applied configuration without a reboot";
        }
    }

    /** The config is stored and the node reboots into it. */
    record Reboot(MachineConfig config, List<Problem> warnings, List<String> changedPaths, String diff,
                  List<String> rebootReasons) implements Accepted {
        public ApplyMode mode() {
            return ApplyMode.REBOOT;
        }

        public String details() {
            return rebootReasons.isEmpty() ? "Applied configuration with a reboot"
                    : "Applied configuration with a reboot: " + String.join(", ", rebootReasons) + " changed";
        }
    }

    /** Stored for the next boot. */
    record Stage(MachineConfig config, List<Problem> warnings, List<String> changedPaths, String diff) implements Accepted {
        public ApplyMode mode() {
            return ApplyMode.STAGED;
        }

        public String details() {
            return "Staged configuration to be applied after the next reboot";
        }
    }

    /** Applied live; the previous config comes back after {@code timeout} unless confirmed. */
    record Try(MachineConfig config, List<Problem> warnings, List<String> changedPaths, String diff, Duration timeout)
            implements Accepted {
        public ApplyMode mode() {
            return ApplyMode.TRY;
        }

        public String details() {
            return "Applied configuration without a reboot (try mode): it will be rolled back in " + timeout.toSeconds() + "s";
        }
    }

    /** The config is not taken; nothing on the node changes. */
    record Rejected(ApplyMode mode, List<Problem> problems) implements ApplyPlan {
        public Rejected {
            problems = List.copyOf(problems);
        }

        public String details() {
            return "configuration rejected, nothing changed";
        }
    }
}
