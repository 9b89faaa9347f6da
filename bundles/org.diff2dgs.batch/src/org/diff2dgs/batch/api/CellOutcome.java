package org.diff2dgs.batch.api;

/**
 * What happened to one cell in one batch invocation.
 *
 * @param cell     the cell
 * @param status   the outcome
 * @param message  why it failed or did not run; empty otherwise
 * @param seconds  wall time spent on it by this invocation
 * @param headline a few numbers for the console, e.g. "masked-mean psnr 31.20 ssim 0.912"; empty when none
 */
public record CellOutcome(Cell cell, Status status, String message, double seconds, String headline) {

    public enum Status {
        /** Found finished with the same configuration; not run again. */
        ALREADY_DONE,
        /** Run (or resumed) to the end by this invocation. */
        RAN,
        /** Stopped with an error; the other cells went on. */
        FAILED,
        /** Stopped by the user (Ctrl-C); resumes on the next invocation. */
        CANCELLED,
        /** Not finished and not run by this invocation (--merge, or a worker that never got to it). */
        NOT_RUN
    }
}
