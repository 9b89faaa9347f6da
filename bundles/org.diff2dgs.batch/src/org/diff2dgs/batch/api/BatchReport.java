package org.diff2dgs.batch.api;

import java.nio.file.Path;
import java.util.List;

/**
 * The end of a batch invocation: what happened to each cell, the results as now on disk, and the report files.
 *
 * @param experiment the experiment
 * @param outcomes   one per cell of the grid, by id
 * @param results    the aggregated results
 * @param files      results.json, results.csv, summary.csv, results.md and the charts, as written
 */
public record BatchReport(Experiment experiment, List<CellOutcome> outcomes, Results results, List<Path> files) {

    public BatchReport {
        outcomes = List.copyOf(outcomes);
        files = List.copyOf(files);
    }

    public long count(CellOutcome.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }

    /** True when every cell of the grid is evaluated (none failed, none left). */
    public boolean complete() {
        return results.failed() == 0 && results.unfinished() == 0;
    }

    /** The paper-style tables (results.md). */
    public Path markdown() {
        return experiment.out().resolve("results.md");
    }
}
