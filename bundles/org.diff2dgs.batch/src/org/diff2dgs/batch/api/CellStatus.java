package org.diff2dgs.batch.api;

/** What a cell's folder holds, as found on disk. */
public enum CellStatus {
    /** Evaluated with the configuration the experiment file asks for now: skipped by a batch, part of the report. */
    DONE,
    /** Evaluated, but the experiment's configuration for it changed since: runs again. */
    STALE,
    /** Started and stopped before evaluation (killed, cancelled): resumes inside its stage. */
    PARTIAL,
    /** The last attempt failed; the message is in the cell's cell.json. Runs again. */
    FAILED,
    /** Never started. */
    PENDING
}
