package dev.basalt.machined.system;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the process table from procfs: which processes are zombies waiting for a given parent.
 *
 * <p>Stateless apart from the procfs root; thread-safe.
 */
public final class ProcessTable {
    /** One process as {@code /proc/PID/stat} describes it. */
    public record Entry(long pid, String command, char state, long parent) {
    }

    private final Path proc;

    public ProcessTable(Path proc) {
        this.proc = proc;
    }

    /** Zombies whose parent is {@code parent}: exited, waiting to be collected. */
    public List<Entry> zombieChildrenOf(long parent) {
        List<Entry> result = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc, p -> isNumeric(p.getFileName().toString()))) {
            for (Path dir : entries) {
                Entry entry;
                try {
                    entry = parseStat(Files.readString(dir.resolve("stat")));
                } catch (IOException | IllegalArgumentException e) {
                    continue; // gone between listing and reading
                }
                if (entry.state() == 'Z' && entry.parent() == parent) {
                    result.add(entry);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list processes in " + proc, e);
        }
        return result;
    }

    /**
     * Parses {@code PID (COMM) STATE PPID ...}. The command may hold spaces and parentheses, so it ends at the
     * last ')'.
     */
    public static Entry parseStat(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open <= 0 || close < open || close + 4 > stat.length()) {
            throw new IllegalArgumentException("malformed /proc/PID/stat: '" + stat.strip() + "'");
        }
        long pid = Long.parseLong(stat.substring(0, open).trim());
        String command = stat.substring(open + 1, close);
        String[] rest = stat.substring(close + 2).trim().split(" ");
        if (rest.length < 2) {
            throw new IllegalArgumentException("malformed /proc/PID/stat (no parent): '" + stat.strip() + "'");
        }
        return new Entry(pid, command, rest[0].charAt(0), Long.parseLong(rest[1]));
    }

    private static boolean isNumeric(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
