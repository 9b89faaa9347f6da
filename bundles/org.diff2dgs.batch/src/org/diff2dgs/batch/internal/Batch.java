package org.diff2dgs.batch.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import org.diff2dgs.batch.api.BatchListener;
import org.diff2dgs.batch.api.BatchReport;
import org.diff2dgs.batch.api.BatchRunner;
import org.diff2dgs.batch.api.Cell;
import org.diff2dgs.batch.api.CellOutcome;
import org.diff2dgs.batch.api.CellStatus;
import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.batch.api.Results;
import org.diff2dgs.batch.api.SlurmOptions;
import org.diff2dgs.batch.internal.config.ExperimentReader;
import org.diff2dgs.batch.internal.config.Installed;
import org.diff2dgs.core.api.CancelledException;

/**
 * The batch logic without OSGi: validation against what is installed, the cell loop with resume and per-cell failure,
 * worker processes, SLURM scripts and the report. The DS component wires it to the Pipeline and service catalog;
 * tests give it a runner that writes pipeline-shaped files.
 */
public final class Batch implements BatchRunner {

    private final ExperimentReader reader;
    private final CellExecutor executor;
    private final Supplier<List<String>> launcher;

    /**
     * @param installed names the experiment file may use
     * @param runner    runs one cell's staged run
     * @param scenes    writes synthetic scenes
     * @param launcher  the command of the d2dgs launcher, for worker processes and SLURM scripts
     */
    public Batch(Installed installed, CellRunner runner, SceneWriter scenes, Supplier<List<String>> launcher) {
        this.reader = new ExperimentReader(installed);
        this.executor = new CellExecutor(runner, new SyntheticScenes(scenes));
        this.launcher = launcher;
    }

    @Override
    public Experiment load(Path file) {
        return reader.read(file);
    }

    @Override
    public void checkDatasets(Experiment e) {
        reader.checkDatasets(e, e.scenes());
    }

    @Override
    public CellStatus status(Experiment experiment, Cell cell) {
        return new CellInspector(experiment, cell).status();
    }

    @Override
    public BatchReport run(Experiment e, BatchListener listener) {
        reader.checkDatasets(e, e.scenes());
        List<Cell> cells = e.cells();
        CellOutcome[] outcomes = new CellOutcome[cells.size()];
        List<Cell> todo = pending(e, cells, outcomes);
        int position = 0;
        try {
            for (Cell c : todo) {
                if (listener.isCancelled()) {
                    throw new CancelledException();
                }
                position++;
                listener.cellStarted(c, position, todo.size());
                try {
                    outcomes[c.id()] = executor.execute(e, c, listener.progress(c));
                } catch (CancelledException ex) {
                    outcomes[c.id()] = new CellOutcome(c, CellOutcome.Status.CANCELLED, "cancelled", 0, "");
                    throw ex;
                }
                listener.cellFinished(outcomes[c.id()], position, todo.size());
            }
        } catch (CancelledException ex) {
            // what finished so far is reported; the rest resumes on the next invocation
            report(e, cells, outcomes);
            throw ex;
        }
        return report(e, cells, outcomes);
    }

    @Override
    public CellOutcome runCell(Experiment e, Cell cell, BatchListener listener) {
        reader.checkDatasets(e, List.of(cell.scene()));
        listener.cellStarted(cell, 1, 1);
        CellOutcome outcome = executor.execute(e, cell, listener.progress(cell));
        listener.cellFinished(outcome, 1, 1);
        return outcome;
    }

    @Override
    public BatchReport runWorkers(Experiment e, int workers, BatchListener listener) {
        reader.checkDatasets(e, e.scenes());
        List<Cell> cells = e.cells();
        CellOutcome[] outcomes = new CellOutcome[cells.size()];
        List<Cell> todo = pending(e, cells, outcomes);
        if (!todo.isEmpty()) {
            WorkerPool pool = new WorkerPool(launcher.get(), e.file(), e.out().resolve("logs"), workers,
                    System.getenv("CUDA_VISIBLE_DEVICES"));
            try {
                pool.run(todo, new WorkerPool.Events() {
                    @Override
                    public void started(Cell c, int worker, String device, int position, Path log) {
                        listener.cellStarted(c, position, todo.size());
                        listener.message("cell " + c.id() + " (" + c.label() + ") on worker " + worker + ", GPU "
                                + device + "; log " + log);
                    }

                    @Override
                    public void finished(Cell c, int worker, int code, double seconds, int position, Path log) {
                        CellOutcome o = afterProcess(e, c, code, seconds, log);
                        synchronized (outcomes) {
                            outcomes[c.id()] = o;
                        }
                        listener.cellFinished(o, position, todo.size());
                    }

                    @Override
                    public boolean cancelled() {
                        return listener.isCancelled();
                    }
                });
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new CancelledException();
            }
        }
        BatchReport report = report(e, cells, outcomes);
        if (listener.isCancelled()) {
            throw new CancelledException();
        }
        return report;
    }

    @Override
    public BatchReport merge(Experiment e) {
        List<Cell> cells = e.cells();
        CellOutcome[] outcomes = new CellOutcome[cells.size()];
        for (Cell c : cells) {
            CellStatus s = status(e, c);
            CellRecord record = CellRecord.read(new CellFolder(c.folder()).cellRecord());
            outcomes[c.id()] = switch (s) {
                case DONE -> new CellOutcome(c, CellOutcome.Status.ALREADY_DONE, "", 0,
                        Headline.of(new CellFolder(c.folder()).metrics()));
                case FAILED -> new CellOutcome(c, CellOutcome.Status.FAILED, record == null ? "failed"
                        : record.message, 0, "");
                default -> new CellOutcome(c, CellOutcome.Status.NOT_RUN, s.name().toLowerCase(java.util.Locale.ROOT),
                        0, "");
            };
        }
        return report(e, cells, outcomes);
    }

    @Override
    public List<Path> emitSlurm(Experiment e, Path dir, SlurmOptions options) {
        reader.checkDatasets(e, e.scenes());
        return SlurmScript.write(e, dir.toAbsolutePath().normalize(), options, launcher.get());
    }

    /** Cells not finished with this configuration; the finished ones get their outcome now. */
    private List<Cell> pending(Experiment e, List<Cell> cells, CellOutcome[] outcomes) {
        List<Cell> todo = new ArrayList<>();
        for (Cell c : cells) {
            if (status(e, c) == CellStatus.DONE) {
                outcomes[c.id()] = new CellOutcome(c, CellOutcome.Status.ALREADY_DONE, "", 0,
                        Headline.of(new CellFolder(c.folder()).metrics()));
            } else {
                todo.add(c);
            }
        }
        return todo;
    }

    /** A worker's exit code and the cell folder it left say what happened. */
    private CellOutcome afterProcess(Experiment e, Cell c, int code, double seconds, Path log) {
        CellStatus s = status(e, c);
        if (s == CellStatus.DONE) {
            return new CellOutcome(c, CellOutcome.Status.RAN, "", seconds,
                    Headline.of(new CellFolder(c.folder()).metrics()));
        }
        if (code == 130 || code == 143) {
            return new CellOutcome(c, CellOutcome.Status.CANCELLED, "cancelled", seconds, "");
        }
        CellRecord record = CellRecord.read(new CellFolder(c.folder()).cellRecord());
        String message = s == CellStatus.FAILED && record != null && record.message != null && !record.message.isEmpty()
                ? record.message
                : "worker process exited with code " + code + " before the cell finished; see " + log;
        if (s != CellStatus.FAILED) {
            // a crash (killed JVM, bad launcher) leaves no failure in cell.json: record it for the merge
            CellRecord r = record != null ? record : new CellRecord();
            r.id = c.id();
            r.label = c.label();
            r.status = CellRecord.FAILED;
            r.message = message;
            r.finishedAt = java.time.Instant.now().toString();
            r.write(new CellFolder(c.folder()).cellRecord());
        }
        return new CellOutcome(c, CellOutcome.Status.FAILED, message, seconds, "");
    }

    private static BatchReport report(Experiment e, List<Cell> cells, CellOutcome[] outcomes) {
        for (Cell c : cells) {
            if (outcomes[c.id()] == null) {
                outcomes[c.id()] = new CellOutcome(c, CellOutcome.Status.NOT_RUN, "not run", 0, "");
            }
        }
        Results results = ResultCollector.collect(e);
        return new BatchReport(e, Arrays.asList(outcomes), results, ReportWriter.write(e, results));
    }
}
