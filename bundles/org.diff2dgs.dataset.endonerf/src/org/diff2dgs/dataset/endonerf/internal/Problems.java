package org.diff2dgs.dataset.endonerf.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.api.ValidationReport.Problem;

/**
 * Where checks put what they find. The same checking code serves both entry points of the reader: {@code read()}
 * uses a sink that throws at the first problem, {@code validate()} one that collects every problem. Not thread-safe:
 * parallel work collects per frame and merges in frame order, so reports are deterministic.
 */
final class Problems {

    private final boolean throwAtFirst;
    private final List<Problem> found = new ArrayList<>();

    private Problems(boolean throwAtFirst) {
        this.throwAtFirst = throwAtFirst;
    }

    static Problems throwing() {
        return new Problems(true);
    }

    static Problems collecting() {
        return new Problems(false);
    }

    void add(Path file, String message) {
        if (throwAtFirst) {
            throw new DatasetException(file, message);
        }
        found.add(new Problem(file, message));
    }

    void add(DatasetException e) {
        if (throwAtFirst) {
            throw e;
        }
        found.add(of(e));
    }

    void addAll(List<Problem> problems) {
        for (Problem p : problems) {
            add(p.file(), p.message());
        }
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    List<Problem> list() {
        return List.copyOf(found);
    }

    /** DatasetException messages start with the file; a report prints the file separately. */
    static Problem of(DatasetException e) {
        String m = e.getMessage();
        String prefix = e.file() == null ? "" : e.file() + ": ";
        return new Problem(e.file(), m.startsWith(prefix) ? m.substring(prefix.length()) : m);
    }
}
