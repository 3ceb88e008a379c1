package dev.basalt.machinery.config.apply;

import dev.basalt.machinery.config.ConfigLoader;
import dev.basalt.machinery.config.LoadResult;
import dev.basalt.machinery.config.MachineConfig;
import dev.basalt.machinery.config.Mark;
import dev.basalt.machinery.config.Problem;
import dev.basalt.machinery.config.ValidationMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what a node does with a new config: validates it, compares it with the current one, and picks the
 * outcome the requested {@link ApplyMode} allows. Pure: it touches no node state, so a dry run and a real apply
 * take the same decision. Stateless; thread-safe.
 */
public final class ApplyPlanner {
    /**
     * Config sections whose change only takes effect when the node boots again (disks are opened, the kernel is
     * configured, and encryption is set up during boot).
     */
    static final List<String> REBOOT_SECTIONS = List.of("machine.systemDiskEncryption", "machine.disks",
            "machine.kernel");

    private final ValidationMode platform;

    public ApplyPlanner(ValidationMode platform) {
        this.platform = Objects.requireNonNull(platform, "platform");
    }

    /**
     * @param current   the config the node runs with, empty in maintenance mode
     * @param text      the new config as sent
     * @param source    a name for problems (e.g. the file name the client sent)
     * @param requested the mode the client asked for
     * @param tryTimeout how long a {@link ApplyMode#TRY} config stays before it is rolled back
     */
    public ApplyPlan plan(Optional<MachineConfig> current, String text, String source, ApplyMode requested, Duration tryTimeout) {
        MachineConfig next;
        List<Problem> warnings;
        switch (ConfigLoader.load(text, source, platform, false)) {
            case LoadResult.Rejected rejected -> {
                return new ApplyPlan.Rejected(requested, rejected.errors());
            }
            case LoadResult.Loaded loaded -> {
                next = loaded.config();
                warnings = loaded.warnings();
            }
        }
        if (current.isEmpty()) {
            if (requested == ApplyMode.STAGED || requested == ApplyMode.TRY) {
                return reject(requested, source, "mode " + requested.cliName()
                        + " needs a configured node; in maintenance mode use auto, reboot or no-reboot");
            }
            return new ApplyPlan.Install(next, warnings, List.of(), "");
        }
        MachineConfig previous = current.get();
        String previousType = previous.machine().type().toString();
        String nextType = next.machine().type().toString();
        if (!previousType.equals(nextType)) {
            return reject(requested, source, "machine.type cannot change from " + previousType + " to " + nextType
                    + "; reset the node to change its type");
        }
        List<String> changed = changedPaths(previous.tree(), next.tree());
        String diff = LineDiff.unified(previous.encode(), next.encode(), "current", "new");
        List<String> rebootReasons = new ArrayList<>(rebootReasons(changed));
        return switch (requested) {
            case REBOOT -> new ApplyPlan.Reboot(next, warnings, changed, diff, rebootReasons);
            case AUTO -> rebootReasons.isEmpty()
                    ? new ApplyPlan.ApplyNow(next, warnings, changed, diff)
                    : new ApplyPlan.Reboot(next, warnings, changed, diff, rebootReasons);
            case NO_REBOOT -> rebootReasons.isEmpty()
                    ? new ApplyPlan.ApplyNow(next, warnings, changed, diff)
                    : reject(requested, source, "the change of " + String.join(", ", rebootReasons)
                    + " needs a reboot; apply with --mode auto or --mode reboot, or stage it");
            case STAGED -> new ApplyPlan.Stage(next, warnings, changed, diff);
            case TRY -> {
                if (!rebootReasons.isEmpty()) {
                    yield reject(requested, source, "try mode applies without a reboot, but the change of "
                            + String.join(", ", rebootReasons) + " needs one");
                }
                if (tryTimeout.isNegative() || tryTimeout.isZero()) {
                    yield reject(requested, source, "try mode needs a positive timeout, got " + tryTimeout);
                }
                yield new ApplyPlan.Try(next, warnings, changed, diff, tryTimeout);
            }
        };
    }

    private static ApplyPlan.Rejected reject(ApplyMode mode, String source, String message) {
        return new ApplyPlan.Rejected(mode, List.of(Problem.error(source, "", Mark.UNKNOWN, message)));
    }

    static Set<String> rebootReasons(List<String> changed) {
        Set<String> reasons = new LinkedHashSet<>();
        for (String path : changed) {
            for (String section : REBOOT_SECTIONS) {
                if (path.equals(section) || path.startsWith(section + ".") || path.startsWith(section + "[")) {
                    reasons.add(section);
                }
            }
        }
        return reasons;
    }

    /** Dotted paths of the leaves (or whole lists) that differ between two config trees, in document order. */
    static List<String> changedPaths(Map<String, Object> before, Map<String, Object> after) {
        List<String> out = new ArrayList<>();
        compare("", before, after, out);
        return out;
    }

    private static void compare(String path, Object before, Object after, List<String> out) {
        if (before instanceof Map<?, ?> a && after instanceof Map<?, ?> b) {
            Set<Object> keys = new LinkedHashSet<>(a.keySet());
            keys.addAll(b.keySet());
            for (Object key : keys) {
                compare(path.isEmpty() ? String.valueOf(key) : path + "." + key, a.get(key), b.get(key), out);
            }
        } else if (!Objects.equals(before, after)) {
            out.add(path);
        }
    }
}
