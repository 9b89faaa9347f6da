package org.diff2dgs.batch.api;

import java.nio.file.Path;
import java.util.List;

/**
 * Headless batch evaluation: an experiment file (scenes x methods x seeds) run cell by cell through the pipeline,
 * resumable, in one process, in worker processes (one per GPU) or as a SLURM job array, then merged into one
 * report. Registered as an OSGi service.
 */
public interface BatchRunner {

    /**
     * Reads and validates an experiment file (JSON or YAML) against the installed services; every problem is reported
     * with its line in one {@link ExperimentException}.
     */
    Experiment load(Path file);

    /**
     * Checks every scene's dataset (the folder exists, an installed reader recognizes it) as {@link #run},
     * {@link #runCell}, {@link #runWorkers} and {@link #emitSlurm} do before they start; throws an
     * {@link ExperimentException} with each problem and its line.
     */
    void checkDatasets(Experiment experiment);

    /** What a cell's folder holds now. */
    CellStatus status(Experiment experiment, Cell cell);

    /** Runs every cell not already done in this process, one after another, then writes the report. */
    BatchReport run(Experiment experiment, BatchListener listener);

    /** Runs exactly one cell (a worker's or SLURM array task's job); writes no report. */
    CellOutcome runCell(Experiment experiment, Cell cell, BatchListener listener);

    /**
     * Runs the cells not already done in {@code workers} child processes of the d2dgs launcher at once (worker i sees
     * GPU i through CUDA_VISIBLE_DEVICES), then writes the report.
     */
    BatchReport runWorkers(Experiment experiment, int workers, BatchListener listener);

    /** Writes the report from the cell folders as they are, running nothing. */
    BatchReport merge(Experiment experiment);

    /**
     * Writes a SLURM job array script (one cell per array task), a merge job and the cell list into {@code dir};
     * returns the files written.
     */
    List<Path> emitSlurm(Experiment experiment, Path dir, SlurmOptions options);
}
