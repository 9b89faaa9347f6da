package org.diff2dgs.app.headless.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.diff2dgs.batch.api.BatchListener;
import org.diff2dgs.batch.api.BatchReport;
import org.diff2dgs.batch.api.BatchRunner;
import org.diff2dgs.batch.api.Cell;
import org.diff2dgs.batch.api.CellOutcome;
import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.batch.api.SlurmOptions;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Headless batch evaluation: an experiment file of scenes x methods x seeds, each cell a resumable staged run, then
 * paper-style tables, CSV and charts. Scales out with worker processes (one per GPU) or a SLURM job array.
 */
@Command(name = "batch", mixinStandardHelpOptions = true, description = {"Run an experiment (scenes x methods x seeds) and report it like the papers' "
        + "tables.", "Finished cells are skipped, a killed one resumes; a failing cell does not stop the others "
                + "(exit code 1 at the end).", "File format: docs/batch.md; examples: releng/experiments/."},
        footer = {"", "Examples:", "  d2dgs batch releng/experiments/tiny.yaml",
                "  d2dgs batch ablation.yaml --workers 4       # 4 GPUs, a worker process each",
                "  d2dgs batch ablation.yaml --emit-slurm dir  # then submit dir/cells.sbatch",
                "  d2dgs batch ablation.yaml --merge           # report the cells finished so far"})
final class BatchCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Parameters(index = "0", paramLabel = "<experiment>", description = "Experiment file (YAML or JSON).")
    Path file;

    @Option(names = "--workers", paramLabel = "N", description = "Run cells in N worker processes at once, worker i "
            + "on GPU i (CUDA_VISIBLE_DEVICES).")
    Integer workers;

    @Option(names = "--emit-slurm", paramLabel = "DIR", description = "Write a SLURM job array (one cell per task), a "
            + "merge job and the cell list into DIR; runs nothing.")
    Path emitSlurm;

    @Option(names = "--merge", description = "Collect the finished cells into the report without running anything.")
    boolean merge;

    @Option(names = "--cell", paramLabel = "ID", description = "Run exactly one cell (a number or "
            + "scene/method/seed-N); writes no report. Used by workers and SLURM tasks.")
    String cell;

    @Option(names = "--dry-run", description = "List the cells and their state; runs nothing.")
    boolean dryRun;

    @Option(names = "--slurm-time", paramLabel = "HH:MM:SS", description = "Wall time per cell (default: the file's "
            + "slurm.time, else 04:00:00).")
    String slurmTime;

    @Option(names = "--slurm-mem", paramLabel = "SIZE", description = "Memory per cell, e.g. 32G.")
    String slurmMemory;

    @Option(names = "--slurm-cpus", paramLabel = "N", description = "CPU cores per cell.")
    Integer slurmCpus;

    @Option(names = "--slurm-partition", paramLabel = "NAME", description = "SLURM partition.")
    String slurmPartition;

    @Option(names = "--slurm-account", paramLabel = "NAME", description = "SLURM account.")
    String slurmAccount;

    @Option(names = "--slurm-max-parallel", paramLabel = "N", description = "At most N array tasks at once.")
    Integer slurmMaxParallel;

    @Override
    public Integer call() {
        int modes = (workers != null ? 1 : 0) + (emitSlurm != null ? 1 : 0) + (merge ? 1 : 0) + (cell != null ? 1 : 0)
                + (dryRun ? 1 : 0);
        if (modes > 1) {
            throw new UserInputException("--workers, --emit-slurm, --merge, --cell and --dry-run exclude each other");
        }
        if (workers != null && workers < 1) {
            throw new UserInputException("--workers must be at least 1, got " + workers);
        }
        BatchRunner runner = root.cli.service(BatchRunner.class);
        Experiment e = runner.load(file);
        if (dryRun) {
            dryRun(runner, e);
            // after the list, so the plan is seen too: a scene the real run would refuse fails the dry run
            runner.checkDatasets(e);
            return Cli.OK;
        }
        if (emitSlurm != null) {
            return slurm(runner, e);
        }
        Progress console = root.cli.progress();
        Listener listener = new Listener(root.cli.err(), console);
        if (cell != null) {
            CellOutcome o = runner.runCell(e, e.cell(cell), listener);
            if (root.json) {
                root.cli.out().print(Json.toJson(outcome(o)));
            }
            return o.status() == CellOutcome.Status.FAILED ? Cli.USER_ERROR : Cli.OK;
        }
        BatchReport report = merge ? runner.merge(e)
                : workers != null ? runner.runWorkers(e, workers, listener) : runner.run(e, listener);
        print(report);
        return report.complete() ? Cli.OK : Cli.USER_ERROR;
    }

    private void dryRun(BatchRunner runner, Experiment e) {
        List<Cell> cells = e.cells();
        if (root.json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Cell c : cells) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", c.id());
                m.put("cell", c.label());
                m.put("status", runner.status(e, c).name().toLowerCase(Locale.ROOT));
                m.put("folder", c.folder().toString());
                list.add(m);
            }
            root.cli.out().print(Json.toJson(Map.of("experiment", e.name(), "out", e.out().toString(), "cells",
                    list)));
            return;
        }
        PrintStream o = root.cli.out();
        o.printf(Locale.ROOT, "experiment '%s': %d cells (%d scenes x %d methods x %d seeds), preset %s, output %s%n",
                e.name(), cells.size(), e.scenes().size(), e.methods().size(), e.seeds().size(), e.preset(), e.out());
        int width = cells.stream().mapToInt(c -> c.label().length()).max().orElse(4);
        o.printf(Locale.ROOT, "%5s  %-8s  %-" + width + "s  %s%n", "id", "status", "cell", "iterations");
        for (Cell c : cells) {
            o.printf(Locale.ROOT, "%5d  %-8s  %-" + width + "s  %d%n", c.id(),
                    runner.status(e, c).name().toLowerCase(Locale.ROOT), c.label(), c.training().iterations());
        }
    }

    private int slurm(BatchRunner runner, Experiment e) {
        SlurmOptions s = e.slurm();
        if (slurmTime != null) {
            s = s.withTime(slurmTime);
        }
        if (slurmMemory != null) {
            s = s.withMemory(slurmMemory);
        }
        if (slurmCpus != null) {
            s = s.withCpus(slurmCpus);
        }
        if (slurmPartition != null) {
            s = s.withPartition(slurmPartition);
        }
        if (slurmAccount != null) {
            s = s.withAccount(slurmAccount);
        }
        if (slurmMaxParallel != null) {
            s = s.withMaxParallel(slurmMaxParallel);
        }
        List<Path> files = runner.emitSlurm(e, emitSlurm, s);
        if (root.json) {
            root.cli.out().print(Json.toJson(Map.of("files", files.stream().map(Path::toString).toList(), "cells",
                    e.cells().size())));
            return Cli.OK;
        }
        PrintStream o = root.cli.out();
        files.forEach(f -> o.println("wrote " + f));
        Path dir = files.get(0).getParent();
        o.println("submit: cd " + dir + " && jobid=$(sbatch --parsable " + files.get(0).getFileName()
                + ") && sbatch --dependency=afterany:$jobid " + files.get(1).getFileName());
        return Cli.OK;
    }

    private void print(BatchReport r) {
        PrintStream o = root.cli.out();
        if (root.json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("experiment", r.experiment().name());
            j.put("out", r.experiment().out().toString());
            j.put("complete", r.complete());
            j.put("failed", r.results().failed());
            j.put("unfinished", r.results().unfinished());
            j.put("cells", r.outcomes().stream().map(BatchCommand::outcome).toList());
            j.put("summary", r.results().summary());
            j.put("files", r.files().stream().map(Path::toString).toList());
            o.print(Json.toJson(j));
            return;
        }
        try {
            String md = Files.readString(r.markdown(), StandardCharsets.UTF_8);
            int charts = md.indexOf("## Charts");
            o.print(charts >= 0 ? md.substring(0, charts) : md);
        } catch (IOException ex) {
            throw new UserInputException(r.markdown(), "cannot read the report: " + ex.getMessage());
        }
        o.println("report: " + r.markdown() + " (also results.json, results.csv, summary.csv, charts/)");
    }

    private static Map<String, Object> outcome(CellOutcome c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.cell().id());
        m.put("cell", c.cell().label());
        m.put("status", c.status().name().toLowerCase(Locale.ROOT));
        m.put("message", c.message());
        m.put("seconds", c.seconds());
        m.put("headline", c.headline());
        return m;
    }

    /** One line per cell on stderr, the cell's own stages drawn by the usual progress bar. */
    private final class Listener implements BatchListener {
        private final PrintStream err;
        private final Progress console;

        Listener(PrintStream err, Progress console) {
            this.err = err;
            this.console = console;
        }

        @Override
        public void cellStarted(Cell c, int position, int total) {
            synchronized (err) {
                err.printf(Locale.ROOT, "[%d/%d] cell %d %s%n", position, total, c.id(), c.label());
            }
        }

        @Override
        public void cellFinished(CellOutcome o, int position, int total) {
            String what = switch (o.status()) {
                case RAN -> "done in " + ConsoleProgress.duration(o.seconds())
                        + (o.headline().isEmpty() ? "" : " (" + o.headline() + ")");
                case ALREADY_DONE -> "already done";
                case FAILED -> "FAILED: " + o.message();
                case CANCELLED -> "cancelled; resumes on the next run";
                case NOT_RUN -> "not run";
            };
            synchronized (err) {
                err.printf(Locale.ROOT, "[%d/%d] cell %d %s: %s%n", position, total, o.cell().id(), o.cell().label(),
                        what);
            }
        }

        @Override
        public Progress progress(Cell c) {
            return root.cli.progress();
        }

        @Override
        public boolean isCancelled() {
            return console.isCancelled();
        }

        @Override
        public void message(String text) {
            synchronized (err) {
                err.println("  " + text);
            }
        }
    }
}
