package dev.basalt.blockd.disks;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds which block devices the running system booted from, by reading {@code /proc/self/mountinfo}: the
 * {@code MAJOR:MINOR} of whatever is mounted at the given mount points (field 3 of each line, proc(5)). Feed
 * the result to {@link DiskDiscovery.Options#bootDeviceNumbers()}.
 *
 * <p>Stateless; thread-safe.
 */
public final class BootMedium {
    private BootMedium() {
    }

    /**
     * Device numbers mounted at any of {@code mountPoints} according to {@code mountinfo} text. Lines that are
     * not well-formed are skipped.
     */
    public static Set<String> deviceNumbers(String mountinfo, List<String> mountPoints) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : mountinfo.lines().toList()) {
            String[] f = line.split(" ");
            if (f.length > 4 && mountPoints.contains(unescape(f[4])) && f[2].matches("\\d+:\\d+")
                    && !f[2].startsWith("0:")) {
                out.add(f[2]);
            }
        }
        return out;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
