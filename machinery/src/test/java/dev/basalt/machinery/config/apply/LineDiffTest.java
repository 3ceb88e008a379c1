package dev.basalt.machinery.config.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LineDiffTest {
    @Test
    void equalTextsHaveNoDiff() {
        assertThat(LineDiff.unified("a\nb\n", "a\nb\n", "x", "y")).isEmpty();
    }

    @Test
    void writesUnifiedHunksWithContext() {
        String before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
        String after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n11\n";
        assertThat(LineDiff.unified(before, after, "current", "new")).isEqualTo("""
                --- current
                +++ new
                @@ -2,9 +2,10 @@
                 2
                 3
                 4
                -5
                +five
                 6
                 7
                 8
                 9
                 10
                +11
                """);
    }

    @Test
    void separatesDistantChangesIntoHunks() {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            lines.add(Integer.toString(i));
        }
        String before = String.join("\n", lines) + "\n";
        lines.set(1, "two");
        lines.set(27, "twenty-eight");
        String diff = LineDiff.unified(before, String.join("\n", lines) + "\n", "a", "b");
        assertThat(diff).contains("@@ -1,5 +1,5 @@", "@@ -25,6 +25,6 @@", "-2\n+two", "-28\n+twenty-eight");
    }

    @Test
    void handlesEmptySides() {
        assertThat(LineDiff.unified("", "a\n", "x", "y")).isEqualTo("--- x\n+++ y\n@@ -0,0 +1,1 @@\n+a\n");
        assertThat(LineDiff.unified("a\n", "", "x", "y")).isEqualTo("--- x\n+++ y\n@@ -1,1 +0,0 @@\n-a\n");
    }

    /** Applying the diff's hunks to the old text gives the new text. */
    @Property(tries = 300)
    void diffReconstructsTheNewText(@ForAll @Size(max = 25) List<@IntRange(min = 0, max = 4) Integer> a,
                                    @ForAll @Size(max = 25) List<@IntRange(min = 0, max = 4) Integer> b) {
        String before = text(a);
        String after = text(b);
        String diff = LineDiff.unified(before, after, "a", "b");
        assertThat(apply(before, diff)).isEqualTo(after);
    }

    private static String text(List<Integer> values) {
        StringBuilder out = new StringBuilder();
        values.forEach(v -> out.append("line").append(v).append('\n'));
        return out.toString();
    }

    /** A minimal patch applier for the property: walks hunks in order. */
    private static String apply(String before, String diff) {
        if (diff.isEmpty()) {
            return before;
        }
        List<String> old = before.isEmpty() ? List.of() : List.of(before.split("\n", -1)).subList(0, before.split("\n", -1).length - 1);
        List<String> result = new ArrayList<>();
        int next = 0;
        String[] lines = diff.split("\n");
        for (int i = 2; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("@@")) {
                String[] parts = line.split(" ");
                int start = Integer.parseInt(parts[1].substring(1).split(",")[0]);
                int count = Integer.parseInt(parts[1].split(",")[1]);
                int from = count == 0 ? start : start - 1;
                while (next < from) {
                    result.add(old.get(next++));
                }
                continue;
            }
            switch (line.charAt(0)) {
                case ' ' -> result.add(old.get(next++));
                case '-' -> next++;
                default -> result.add(line.substring(1));
            }
        }
        while (next < old.size()) {
            result.add(old.get(next++));
        }
        StringBuilder out = new StringBuilder();
        result.forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }
}
