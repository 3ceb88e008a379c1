package dev.basalt.blockd.peer;

import dev.basalt.machinery.exec.Command;
import dev.basalt.machinery.exec.ProcessExec;
import dev.basalt.machinery.exec.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Drives {@code sgdisk} (Debian gdisk) as the independent GPT peer of our codec, and parses what it prints. */
public final class Sgdisk {
    private static final ProcessExec EXEC = ProcessExec.system();
    private static final Pattern ROW = Pattern.compile(
            "^\\s*(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+([\\d.]+ \\S+)\\s+([0-9A-F]{4})\\s+(.*)$");

    /** One row of {@code sgdisk -p}. */
    public record Row(int number, long first, long last, String code, String name) {
    }

    private Sgdisk() {
    }

    public static Result run(Path image, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(image.toString());
        return EXEC.check(Command.builder("sgdisk").args(all).build());
    }

    public static String verify(Path image) {
        return EXEC.run(Command.builder("sgdisk").args("-v", image.toString()).build()).stdoutText();
    }

    public static List<Row> print(Path image) {
        List<Row> rows = new ArrayList<>();
        for (String line : run(image, "-p").stdoutText().lines().toList()) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                rows.add(new Row(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)),
                        Long.parseLong(m.group(3)), m.group(5), m.group(6).strip()));
            }
        }
        return rows;
    }

    public static UUID diskGuid(Path image) {
        return UUID.fromString(field(run(image, "-p").stdoutText(), "Disk identifier (GUID):"));
    }

    public static UUID partitionGuid(Path image, int number) {
        return UUID.fromString(field(run(image, "-i", String.valueOf(number)).stdoutText(),
                "Partition unique GUID:"));
    }

    public static String attributes(Path image, int number) {
        return field(run(image, "-i", String.valueOf(number)).stdoutText(), "Attribute flags:");
    }

    private static String field(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> l.substring(prefix.length()).strip())
                .orElseThrow(() -> new AssertionError("no '" + prefix + "' in sgdisk output:\n" + text));
    }
}
