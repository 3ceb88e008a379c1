package dev.basalt.machined.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The mounts listed in {@code /proc/self/mountinfo}, and which of them to unmount, in which order, before the
 * machine powers off: everything that holds data, newest first; not {@code /} and not kernel pseudo-filesystems.
 *
 * <p>Immutable; thread-safe.
 */
public record MountTable(List<Mount> mounts) {
    /** One mountinfo line: mount point and filesystem type. */
    public record Mount(String target, String type) {
    }

    private static final Set<String> PSEUDO = Set.of("proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2",
            "securityfs", "debugfs", "tracefs", "pstore", "bpf", "mqueue", "hugetlbfs", "configfs", "efivarfs",
            "fusectl", "binfmt_misc");

    public MountTable {
        mounts = List.copyOf(mounts);
    }

    /** Parses mountinfo (proc(5)): field 5 is the mount point, the type follows the " - " separator. */
    public static MountTable parse(String mountinfo) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(" ");
            int separator = List.of(fields).indexOf("-");
            if (fields.length < 5 || separator < 0 || separator + 1 >= fields.length) {
                throw new IllegalArgumentException("malformed mountinfo line: '" + line + "'");
            }
            mounts.add(new Mount(unescape(fields[4]), fields[separator + 1]));
        }
        return new MountTable(mounts);
    }

    /** Octal escapes (\040 for space) as the kernel writes them. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Mount points to unmount at shutdown, newest first. */
    public List<String> unmountOrder() {
        List<String> order = new ArrayList<>();
        for (int i = mounts.size() - 1; i >= 0; i--) {
            Mount mount = mounts.get(i);
            if (mount.target().equals("/") || PSEUDO.contains(mount.type())
                    || mount.target().equals("/dev") || mount.target().startsWith("/proc")
                    || mount.target().startsWith("/sys/")) {
                continue;
            }
            order.add(mount.target());
        }
        return order;
    }
}
