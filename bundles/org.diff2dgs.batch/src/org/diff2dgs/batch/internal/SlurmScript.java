package org.diff2dgs.batch.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.diff2dgs.batch.api.Cell;
import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.batch.api.SlurmOptions;
import org.diff2dgs.core.io.AtomicFiles;

/**
 * A SLURM job array for an experiment: array task i runs cell i ({@code d2dgs batch <file> --cell $SLURM_ARRAY_TASK_ID}
 * on one GPU), a merge job writes the report once all have ended, and cells.tsv says which task is which cell.
 */
final class SlurmScript {

    static final String ARRAY_SCRIPT = "cells.sbatch";
    static final String MERGE_SCRIPT = "merge.sbatch";
    static final String CELL_LIST = "cells.tsv";

    private SlurmScript() {
    }

    static List<Path> write(Experiment e, Path dir, SlurmOptions o, List<String> launcher) {
        List<Cell> cells = e.cells();
        Path logs = e.out().resolve("logs");
        try {
            Files.createDirectories(dir);
            // SLURM does not create the folder of --output; a missing one loses every task's log
            Files.createDirectories(logs);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot create " + dir + " or " + logs + ": " + ex.getMessage(), ex);
        }
        String job = "d2dgs-" + ChartReport.safe(e.name());
        String run = command(launcher) + " batch " + quote(e.file().toString());

        StringBuilder a = new StringBuilder("#!/bin/bash\n");
        a.append("# Diff2DGS batch '").append(oneLine(e.name())).append("': one cell per array task (")
                .append(cells.size()).append(" cells, listed in ").append(CELL_LIST).append(").\n");
        a.append("# Submit both, the merge after the cells:\n");
        a.append("#   jobid=$(sbatch --parsable ").append(ARRAY_SCRIPT).append(") && sbatch --dependency=afterany:$jobid ")
                .append(MERGE_SCRIPT).append('\n');
        a.append("# A finished cell is skipped when its task runs again, so resubmitting resumes the experiment.\n");
        a.append("#SBATCH --job-name=").append(job).append('\n');
        a.append("#SBATCH --array=0-").append(cells.size() - 1)
                .append(o.maxParallel() > 0 ? "%" + o.maxParallel() : "").append('\n');
        a.append("#SBATCH --gres=gpu:1\n");
        a.append("#SBATCH --ntasks=1\n");
        a.append("#SBATCH --cpus-per-task=").append(o.cpus()).append('\n');
        a.append("#SBATCH --mem=").append(o.memory()).append('\n');
        a.append("#SBATCH --time=").append(o.time()).append('\n');
        a.append("#SBATCH --output=").append(logs.resolve("slurm-%A_%a.log")).append('\n');
        directives(a, o);
        a.append("set -u\n");
        a.append("exec ").append(run).append(" --cell \"$SLURM_ARRAY_TASK_ID\"\n");

        StringBuilder m = new StringBuilder("#!/bin/bash\n");
        m.append("# Collects the finished cells of '").append(oneLine(e.name()))
                .append("' into results.json, results.csv, results.md and charts; runs nothing else.\n");
        m.append("#SBATCH --job-name=").append(job).append("-merge\n");
        m.append("#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=2\n#SBATCH --mem=8G\n#SBATCH --time=00:30:00\n");
        m.append("#SBATCH --output=").append(logs.resolve("slurm-merge-%j.log")).append('\n');
        if (o.partition() != null) {
            m.append("#SBATCH --partition=").append(o.partition()).append('\n');
        }
        if (o.account() != null) {
            m.append("#SBATCH --account=").append(o.account()).append('\n');
        }
        m.append("set -u\nexec ").append(run).append(" --merge\n");

        StringBuilder t = new StringBuilder("task\tscene\tmethod\tseed\tfolder\n");
        for (Cell c : cells) {
            t.append(c.id()).append('\t').append(c.scene().name()).append('\t').append(c.method().name()).append('\t')
                    .append(c.seed()).append('\t').append(c.folder()).append('\n');
        }
        List<Path> files = new ArrayList<>();
        files.add(script(dir.resolve(ARRAY_SCRIPT), a.toString()));
        files.add(script(dir.resolve(MERGE_SCRIPT), m.toString()));
        Path list = dir.resolve(CELL_LIST);
        AtomicFiles.writeString(list, t.toString());
        files.add(list);
        return files;
    }

    private static void directives(StringBuilder a, SlurmOptions o) {
        if (o.partition() != null) {
            a.append("#SBATCH --partition=").append(o.partition()).append('\n');
        }
        if (o.account() != null) {
            a.append("#SBATCH --account=").append(o.account()).append('\n');
        }
        for (String d : o.directives()) {
            a.append("#SBATCH ").append(oneLine(d)).append('\n');
        }
    }

    private static Path script(Path file, String text) {
        AtomicFiles.writeString(file, text);
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return file;
    }

    private static String command(List<String> launcher) {
        return String.join(" ", launcher.stream().map(SlurmScript::quote).toList());
    }

    /** Single-quoted for sh, so paths with spaces or dollars survive. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }
}
