package dev.basalt.machinery.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Where each node of a parsed tree came from: for a map entry the position of its key, for a list item the position
 * where the item starts. Looked up by {@link TreePath}; a path without a mark of its own (a key that is missing, a
 * node added by a patch) falls back to its nearest ancestor that has one.
 *
 * <p>Immutable after construction; thread-safe.
 */
public final class SourceMarks {

    private static final SourceMarks EMPTY = new SourceMarks(Map.of());
    private final Map<TreePath, Mark> marks;

    SourceMarks(Map<TreePath, Mark> marks) {
        this.marks = Map.copyOf(marks);
    }

    public static SourceMarks empty() {
        return EMPTY;
    }

    /** The mark of {@code path}, or of its nearest marked ancestor, or {@link Mark#UNKNOWN}. */
    public Mark at(TreePath path) {
        TreePath current = path;
        while (true) {
            Mark mark = marks.get(current);
            if (mark != null) {
                return mark;
            }
            if (current.isRoot()) {
                return Mark.UNKNOWN;
            }
            current = current.parent();
        }
    }

    /** The mark recorded for exactly {@code path}, or null. */
    public Mark exact(TreePath path) {
        return marks.get(path);
    }

    public int size() {
        return marks.size();
    }

    static final class Builder {
        private final Map<TreePath, Mark> marks = new HashMap<>();

        void put(TreePath path, Mark mark) {
            marks.putIfAbsent(path, mark);
        }

        SourceMarks build() {
            return new SourceMarks(marks);
        }
    }
}
