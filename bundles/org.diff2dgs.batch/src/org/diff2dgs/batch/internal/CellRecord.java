package org.diff2dgs.batch.internal;

import java.nio.file.Path;

import org.diff2dgs.core.io.Json;

import com.google.gson.JsonObject;

/**
 * cell.json: the batch's own record of a cell beside the pipeline's run.json, written before the run starts and when
 * it ends. It keeps the configuration the cell runs with (to detect changed experiment files) and why it failed, so
 * worker processes and SLURM tasks report failures to the merge through the file system.
 */
final class CellRecord {

    static final String RUNNING = "running";
    static final String DONE = "done";
    static final String FAILED = "failed";
    static final String CANCELLED = "cancelled";

    int id;
    String label;
    String status;
    String message = "";
    /** Exception class of a failure that was not a user error (a bug), with its stack trace. */
    String error;
    String stackTrace;
    String startedAt;
    String finishedAt;
    double seconds;
    int attempts;
    /** The GPU(s) the process saw, for multi-GPU runs. */
    String cudaVisibleDevices;
    JsonObject config;

    static CellRecord read(Path file) {
        JsonObject o = JsonFiles.readObject(file);
        if (o == null) {
            return null;
        }
        try {
            return Json.gson().fromJson(o, CellRecord.class);
        } catch (RuntimeException e) {
            return null;
        }
    }

    void write(Path file) {
        Json.write(file, this);
    }
}
