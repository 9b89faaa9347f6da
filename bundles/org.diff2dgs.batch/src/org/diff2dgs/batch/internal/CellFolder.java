package org.diff2dgs.batch.internal;

import java.nio.file.Path;

/**
 * The files of a cell folder the batch reads or writes. The pipeline owns the run folder layout (run.json,
 * metrics.json, train/log.csv); the batch adds cell.json beside them.
 */
record CellFolder(Path root) {

    /** The pipeline's state: which stages are done, with which options and environment. */
    Path runState() {
        return root.resolve("run.json");
    }

    /** The pipeline's evaluation: every metric under every protocol, the environment, the speed. */
    Path metrics() {
        return root.resolve("metrics.json");
    }

    /** The training curve: iteration,loss,l1,ssim,depth_loss,depth_weight,psnr,surfels,seconds. */
    Path trainingLog() {
        return root.resolve("train").resolve("log.csv");
    }

    /** The batch's record of the cell: its configuration, last status and failure message. */
    Path cellRecord() {
        return root.resolve("cell.json");
    }
}
