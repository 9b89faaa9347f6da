package org.diff2dgs.batch.api;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import org.diff2dgs.core.api.UserInputException;

/**
 * Problems of an experiment file, each with its line, found before any cell runs. The message has one line per
 * problem in the {@code <file>:<line>: <problem>} form editors and terminals link to.
 */
public class ExperimentException extends UserInputException {

    private static final long serialVersionUID = 1L;

    /** One problem at a line (1-based; 0 when the problem concerns the whole file). */
    public record Problem(int line, String message) {
    }

    private final transient Path file;
    private final transient List<Problem> problems;

    public ExperimentException(Path file, List<Problem> problems) {
        this(file, problems, null);
    }

    public ExperimentException(Path file, List<Problem> problems, Throwable cause) {
        super(null, format(file, problems), cause);
        this.file = file;
        this.problems = sorted(problems);
    }

    public static ExperimentException at(Path file, int line, String message) {
        return new ExperimentException(file, List.of(new Problem(line, message)));
    }

    @Override
    public Path file() {
        return file;
    }

    /** The problems, by line. */
    public List<Problem> problems() {
        return problems;
    }

    private static List<Problem> sorted(List<Problem> problems) {
        return problems.stream().sorted(Comparator.comparingInt(Problem::line)).toList();
    }

    private static String format(Path file, List<Problem> problems) {
        return sorted(problems).stream()
                .map(p -> p.line() > 0 ? file + ":" + p.line() + ": " + p.message() : file + ": " + p.message())
                .collect(Collectors.joining("\n"));
    }
}
