package dev.basalt.machinery.config.apply;

import java.util.ArrayList;
import java.util.List;

/**
 * Unified line diff (the {@code diff -u} format) computed with Myers' O((N+M)D) algorithm ("An O(ND) Difference
 * Algorithm and Its Variations", 1986). Configs differ in a few lines, so D stays small even for large files.
 * Stateless; thread-safe.
 */
public final class LineDiff {
    private static final int CONTEXT = 3;

    private LineDiff() {
    }

    private enum Op { KEEP, DELETE, INSERT }

    private record Edit(Op op, String line) {
    }

    /** A unified diff of {@code before} and {@code after}; empty when they are equal. */
    public static String unified(String before, String after, String beforeName, String afterName) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        if (a.equals(b)) {
            return "";
        }
        List<Edit> edits = edits(a, b);
        // Line numbers (1-based) in a and b at which each edit starts.
        int[] atA = new int[edits.size() + 1];
        int[] atB = new int[edits.size() + 1];
        atA[0] = 1;
        atB[0] = 1;
        List<Integer> changes = new ArrayList<>();
        for (int k = 0; k < edits.size(); k++) {
            Op op = edits.get(k).op;
            atA[k + 1] = atA[k] + (op == Op.INSERT ? 0 : 1);
            atB[k + 1] = atB[k] + (op == Op.DELETE ? 0 : 1);
            if (op != Op.KEEP) {
                changes.add(k);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(beforeName).append('\n').append("+++ ").append(afterName).append('\n');
        int c = 0;
        while (c < changes.size()) {
            // A hunk joins changes separated by at most 2*CONTEXT unchanged lines.
            int first = changes.get(c);
            int last = first;
            while (c + 1 < changes.size() && changes.get(c + 1) - last <= 2 * CONTEXT + 1) {
                last = changes.get(++c);
            }
            c++;
            int start = Math.max(0, first - CONTEXT);
            int end = Math.min(edits.size(), last + CONTEXT + 1);
            int countA = atA[end] - atA[start];
            int countB = atB[end] - atB[start];
            out.append("@@ -").append(countA == 0 ? atA[start] - 1 : atA[start]).append(',').append(countA)
                    .append(" +").append(countB == 0 ? atB[start] - 1 : atB[start]).append(',').append(countB).append(" @@\n");
            for (int k = start; k < end; k++) {
                Edit edit = edits.get(k);
                out.append(switch (edit.op) {
                    case KEEP -> ' ';
                    case DELETE -> '-';
                    case INSERT -> '+';
                }).append(edit.line).append('\n');
            }
        }
        return out.toString();
    }

    private static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(List.of(text.split("\n", -1)));
        if (text.endsWith("\n")) {
            out.removeLast();
        }
        return out;
    }

    /** The shortest edit script from a to b. */
    private static List<Edit> edits(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int max = n + m;
        int offset = max + 1;
        int[] v = new int[2 * max + 3];
        List<int[]> trace = new ArrayList<>();
        int found = -1;
        for (int d = 0; d <= max && found < 0; d++) {
            trace.add(v.clone());
            for (int k = -d; k <= d; k += 2) {
                int x;
                if (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) {
                    x = v[offset + k + 1];
                } else {
                    x = v[offset + k - 1] + 1;
                }
                int y = x - k;
                while (x < n && y < m && a.get(x).equals(b.get(y))) {
                    x++;
                    y++;
                }
                v[offset + k] = x;
                if (x >= n && y >= m) {
                    found = d;
                    break;
                }
            }
        }
        // Walk the trace backwards to recover the script.
        List<Edit> script = new ArrayList<>();
        int x = n;
        int y = m;
        for (int d = found; d > 0; d--) {
            int[] previous = trace.get(d);
            int k = x - y;
            int prevK = (k == -d || (k != d && previous[offset + k - 1] < previous[offset + k + 1])) ? k + 1 : k - 1;
            int prevX = previous[offset + prevK];
            int prevY = prevX - prevK;
            while (x > prevX && y > prevY) {
                script.add(new Edit(Op.KEEP, a.get(x - 1)));
                x--;
                y--;
            }
            if (x == prevX) {
                script.add(new Edit(Op.INSERT, b.get(y - 1)));
                y--;
            } else {
                script.add(new Edit(Op.DELETE, a.get(x - 1)));
                x--;
            }
        }
        while (x > 0 && y > 0) {
            script.add(new Edit(Op.KEEP, a.get(x - 1)));
            x--;
            y--;
        }
        return script.reversed();
    }
}
