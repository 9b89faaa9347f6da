package org.diff2dgs.batch.api;

import org.diff2dgs.core.api.Progress;

/** Per-cell progress of a batch, for the console or the workbench. Every method may be called from any thread. */
public interface BatchListener {

    /** A cell begins; {@code position} counts from 1 among the {@code total} cells this invocation runs. */
    default void cellStarted(Cell cell, int position, int total) {
    }

    default void cellFinished(CellOutcome outcome, int position, int total) {
    }

    /** Progress of the stages inside one cell run in this process. */
    default Progress progress(Cell cell) {
        return Progress.NONE;
    }

    /** True once the user asked to stop: no further cell starts, running ones stop at their next checkpoint. */
    default boolean isCancelled() {
        return false;
    }

    /** A line of information (worker started, log file, ...). */
    default void message(String text) {
    }

    BatchListener NONE = new BatchListener() {
    };
}
