package dev.basalt.machinery.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Gathers the problems found in one source text, placing each at the mark of its path.
 *
 * <p>Not thread-safe: one collector per validation run.
 */
final class ProblemCollector {

    private final String source;
    private final SourceMarks marks;
    private final List<Problem> problems = new ArrayList<>();

    ProblemCollector(String source, SourceMarks marks) {
        this.source = source;
        this.marks = marks;
    }

    void error(TreePath path, String message) {
        problems.add(Problem.error(source, path.toString(), marks.at(path), message));
    }

    void warning(TreePath path, String message) {
        problems.add(Problem.warning(source, path.toString(), marks.at(path), message));
    }

    boolean hasErrors() {
        return problems.stream().anyMatch(Problem::isError);
    }

    List<Problem> problems() {
        return List.copyOf(problems);
    }
}
