package org.diff2dgs.core.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a reader found about a folder: a summary when it is usable, and every problem (not only the first).
 *
 * @param folder   the dataset folder
 * @param format   the reader that checked it
 * @param summary  ordered key/value facts (frames, resolution, intrinsics, depth range, split, conventions, ...)
 * @param perFrame one line per frame (e.g. mask coverage), may be empty
 * @param problems every problem found; empty means the clip is usable
 */
public record ValidationReport(Path folder, String format, Map<String, String> summary, List<String> perFrame,
        List<Problem> problems) {

    public ValidationReport {
        summary = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(summary));
        perFrame = List.copyOf(perFrame);
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    /** One problem: the file it is in (or the folder), what was found and what was expected. */
    public record Problem(Path file, String message) {
        @Override
        public String toString() {
            return (file == null ? "" : file + ": ") + message;
        }
    }
}
