package dev.basalt.machined.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Parsers for the /proc text formats the node API reports (proc(5)). Pure functions over strings, so they
 * are tested without a /proc.
 *
 * <p>Stateless; thread-safe.
 */
public final class ProcParsers {
    private ProcParsers() {
    }

    /**
     * Parses /proc/meminfo: {@code Name:   value [kB]} per line. Lines that do not have that shape are
     * skipped (a newer kernel may add formats; skipping one field beats failing the whole call).
     */
    public static Map<String, Long> meminfo(String text) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String rest = line.substring(colon + 1).trim();
            int space = rest.indexOf(' ');
            String number = space < 0 ? rest : rest.substring(0, space);
            try {
                values.put(name, Long.parseLong(number));
            } catch (NumberFormatException e) {
                // not a numeric field; skipped (see Javadoc)
            }
        }
        return values;
    }

    /** The fields of /proc/PID/stat the API reports. */
    public record Stat(int pid, String comm, String state, int ppid, long utimeTicks, long stimeTicks,
                       int threads, long vsizeBytes, long rssPages) {
    }

    /**
     * Parses /proc/PID/stat. The command name sits in parentheses and may itself contain spaces and
     * parentheses, so fields are counted from the last ')'.
     */
    public static Optional<Stat> stat(String text) {
        int open = text.indexOf('(');
        int close = text.lastIndexOf(')');
        if (open < 0 || close < open) {
            return Optional.empty();
        }
        try {
            int pid = Integer.parseInt(text.substring(0, open).trim());
            String comm = text.substring(open + 1, close);
            String[] f = text.substring(close + 1).trim().split(" +");
            // f[0] is field 3 (state) of proc(5); field n is f[n - 3].
            if (f.length < 22) {
                return Optional.empty();
            }
            return Optional.of(new Stat(pid, comm, f[0], Integer.parseInt(f[1]), Long.parseLong(f[11]),
                    Long.parseLong(f[12]), Integer.parseInt(f[17]), Long.parseUnsignedLong(f[20]),
                    Long.parseLong(f[21])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The {@code btime} line of /proc/stat. */
    public static Optional<Long> bootTime(String procStat) {
        for (String line : procStat.split("\n")) {
            if (line.startsWith("btime ")) {
                try {
                    return Optional.of(Long.parseLong(line.substring(6).trim()));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** One line of /proc/mounts: device, mount point, type. */
    public record MountLine(String device, String mountPoint, String type) {
    }

    /** Parses one /proc/mounts line, undoing the octal escapes ({@code \040} for space) fstab(5) uses. */
    public static Optional<MountLine> mountLine(String line) {
        String[] f = line.trim().split(" ");
        if (f.length < 3) {
            return Optional.empty();
        }
        return Optional.of(new MountLine(unescape(f[0]), unescape(f[1]), f[2]));
    }

    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1) && isOctal(s, i + 2) && isOctal(s, i + 3)) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7';
    }

    /** /proc/PID/cmdline: NUL-separated arguments, joined with spaces. */
    public static String cmdline(byte[] raw) {
        int end = raw.length;
        while (end > 0 && raw[end - 1] == 0) {
            end--;
        }
        byte[] copy = java.util.Arrays.copyOf(raw, end);
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == 0) {
                copy[i] = ' ';
            }
        }
        return new String(copy, java.nio.charset.StandardCharsets.UTF_8);
    }
}
