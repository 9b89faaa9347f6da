package org.diff2dgs.batch.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

import org.diff2dgs.batch.api.Cell;
import org.diff2dgs.batch.api.CellOutcome;
import org.diff2dgs.batch.api.CellStatus;
import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.core.api.CancelledException;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.StageOutOfMemoryError;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.RunLock;
import org.diff2dgs.pipeline.api.RunRequest;

/**
 * Runs one cell through the pipeline and records the outcome in cell.json. A failure is caught and recorded (the
 * batch goes on with the next cell); only cancellation propagates, because the user asked everything to stop.
 */
final class CellExecutor {

    private final CellRunner runner;
    private final SyntheticScenes scenes;

    CellExecutor(CellRunner runner, SyntheticScenes scenes) {
        this.runner = runner;
        this.scenes = scenes;
    }

    CellOutcome execute(Experiment e, Cell cell, Progress progress) {
        // the cell's record is written into its run folder too: only by the one process that runs it
        RunLock lock;
        try {
            lock = RunLock.acquire(cell.folder(), RunLock.commandLine("d2dgs batch --cell " + cell.id()),
                    progress::note);
        } catch (UserInputException busy) {
            // another process runs this cell (a resubmitted SLURM task, a second batch): leave its record alone
            return new CellOutcome(cell, CellOutcome.Status.FAILED, busy.getMessage(), 0, "");
        }
        try (lock) {
            return executeLocked(e, cell, progress);
        }
    }

    private CellOutcome executeLocked(Experiment e, Cell cell, Progress progress) {
        long t0 = System.nanoTime();
        CellInspector inspector = new CellInspector(e, cell);
        if (inspector.status() == CellStatus.DONE) {
            return new CellOutcome(cell, CellOutcome.Status.ALREADY_DONE, "", 0,
                    Headline.of(new CellFolder(cell.folder()).metrics()));
        }
        Set<String> force = inspector.force();
        CellFolder folder = new CellFolder(cell.folder());
        CellRecord record = new CellRecord();
        record.id = cell.id();
        record.label = cell.label();
        record.status = CellRecord.RUNNING;
        record.startedAt = Instant.now().toString();
        record.attempts = inspector.record() == null ? 1 : inspector.record().attempts + 1;
        record.cudaVisibleDevices = System.getenv("CUDA_VISIBLE_DEVICES");
        record.config = inspector.config();
        try {
            createFolder(cell.folder());
            record.write(folder.cellRecord());
            Path dataset = cell.scene().isSynthetic() ? scenes.ensure(e, cell.scene(), progress) : cell.scene().path();
            RunRequest request = new RunRequest(dataset, cell.scene().format(), cell.scene().synthetic(),
                    cell.folder(), cell.scene().read(), cell.training(), e.backend(), null, null, force, false,
                    e.protocols(), e.metrics(), 0, cell.method().inpaint(), cell.method().inpaintOptions());
            runner.run(request, progress);
            if (new CellInspector(e, cell).status() != CellStatus.DONE) {
                throw new IllegalStateException("the pipeline returned but the cell is not evaluated (no metrics.json "
                        + "or evaluate stage not done)");
            }
            finish(record, folder, CellRecord.DONE, "", null, t0);
            return new CellOutcome(cell, CellOutcome.Status.RAN, "", seconds(t0), Headline.of(folder.metrics()));
        } catch (CancelledException ex) {
            finish(record, folder, CellRecord.CANCELLED, "cancelled", null, t0);
            throw ex;
        } catch (UserInputException ex) {
            finish(record, folder, CellRecord.FAILED, ex.getMessage(), null, t0);
            return new CellOutcome(cell, CellOutcome.Status.FAILED, ex.getMessage(), seconds(t0), "");
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError ex) {
            // a bug or an exhausted machine in one cell must not lose the others; the trace goes to cell.json
            String message = ex instanceof StageOutOfMemoryError s ? s.getMessage()
                    : ex instanceof OutOfMemoryError ? StageOutOfMemoryError.advice("running the cell") : ex.toString();
            finish(record, folder, CellRecord.FAILED, message, ex, t0);
            return new CellOutcome(cell, CellOutcome.Status.FAILED, message, seconds(t0), "");
        }
    }

    private static void finish(CellRecord record, CellFolder folder, String status, String message, Throwable bug,
            long t0) {
        record.status = status;
        record.message = message == null ? "" : message;
        record.finishedAt = Instant.now().toString();
        record.seconds = seconds(t0);
        if (bug != null) {
            StringWriter w = new StringWriter();
            bug.printStackTrace(new PrintWriter(w));
            record.error = bug.getClass().getName();
            record.stackTrace = w.toString();
        } else {
            record.error = null;
            record.stackTrace = null;
        }
        try {
            record.write(folder.cellRecord());
        } catch (RuntimeException ignored) {
            // a full disk must not hide the cell's own failure; the outcome still carries the message
        }
    }

    private static void createFolder(Path p) {
        try {
            Files.createDirectories(p);
        } catch (java.io.IOException ex) {
            throw new UserInputException(p, "cannot create the cell folder: " + ex.getMessage());
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
