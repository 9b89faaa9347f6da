package org.diff2dgs.batch.internal;

import java.util.Set;

import org.diff2dgs.batch.api.Cell;
import org.diff2dgs.batch.api.CellStatus;
import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.pipeline.api.Stages;

import com.google.gson.JsonObject;

/**
 * Reads a cell folder: is it finished with the configuration asked for now, and if not, which stages must run again
 * so that the pipeline neither reuses results of another configuration nor refuses to continue.
 */
final class CellInspector {

    private final Experiment experiment;
    private final Cell cell;
    private final CellFolder folder;
    private final JsonObject run;
    private final CellRecord record;
    private final JsonObject now;

    CellInspector(Experiment experiment, Cell cell) {
        this.experiment = experiment;
        this.cell = cell;
        this.folder = new CellFolder(cell.folder());
        this.run = JsonFiles.readObject(folder.runState());
        this.record = CellRecord.read(folder.cellRecord());
        this.now = CellConfig.of(experiment, cell);
    }

    CellStatus status() {
        boolean evaluated = evaluated();
        if (evaluated && sameTrainingOptions() && record != null && JsonFiles.same(record.config, now)) {
            return CellStatus.DONE;
        }
        if (evaluated) {
            return CellStatus.STALE;
        }
        if (record != null && CellRecord.FAILED.equals(record.status)) {
            return CellStatus.FAILED;
        }
        return run != null || record != null ? CellStatus.PARTIAL : CellStatus.PENDING;
    }

    /** Stages the pipeline must rerun (and everything after them) for the cell to match the configuration. */
    Set<String> force() {
        if (run == null) {
            return Set.of();
        }
        if (record == null || record.config == null
                || !JsonFiles.same(record.config.get(CellConfig.SCENE), now.get(CellConfig.SCENE))) {
            // a run of unknown or other data: nothing in it can be trusted
            return Set.of(Stages.PREPARE);
        }
        if (!JsonFiles.same(record.config.get(CellConfig.INPAINT), now.get(CellConfig.INPAINT))) {
            return Set.of(Stages.INPAINT);
        }
        if (!JsonFiles.same(record.config.get(CellConfig.TRAINING), now.get(CellConfig.TRAINING))
                || !JsonFiles.same(record.config.get(CellConfig.BACKEND), now.get(CellConfig.BACKEND))
                || (run.has("trainingOptions") && !sameTrainingOptions())) {
            return Set.of(Stages.TRAIN);
        }
        if (!JsonFiles.same(record.config.get(CellConfig.PROTOCOLS), now.get(CellConfig.PROTOCOLS))
                || !JsonFiles.same(record.config.get(CellConfig.METRICS), now.get(CellConfig.METRICS))
                || (evaluateDone() && !metricsReadable())) {
            return Set.of(Stages.EVALUATE);
        }
        return Set.of();
    }

    CellRecord record() {
        return record;
    }

    JsonObject config() {
        return now;
    }

    /** The pipeline says evaluate is done and metrics.json holds the evaluations. */
    private boolean evaluated() {
        return evaluateDone() && metricsReadable();
    }

    private boolean evaluateDone() {
        JsonObject evaluate = JsonFiles.object(JsonFiles.object(run, "stages"), Stages.EVALUATE);
        return "done".equals(JsonFiles.string(evaluate, "status", null));
    }

    private boolean metricsReadable() {
        JsonObject m = JsonFiles.readObject(folder.metrics());
        return m != null && m.has("evaluations") && m.get("evaluations").isJsonArray();
    }

    private boolean sameTrainingOptions() {
        return run != null && JsonFiles.same(run.get("trainingOptions"), now.get(CellConfig.TRAINING));
    }

    Experiment experiment() {
        return experiment;
    }

    Cell cell() {
        return cell;
    }
}
