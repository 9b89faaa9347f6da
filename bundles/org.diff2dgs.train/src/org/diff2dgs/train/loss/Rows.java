package org.diff2dgs.train.loss;

import java.util.stream.IntStream;

/**
 * Runs a per-row computation in parallel and adds the per-row partial sums in row order, so that a loss value does
 * not depend on how the rows were scheduled.
 */
final class Rows {

    /** Computes one row, returns its partial sum. */
    @FunctionalInterface
    interface RowSum {
        double row(int r);
    }

    private Rows() {
    }

    static double sum(int height, RowSum body) {
        double[] partial = new double[height];
        IntStream.range(0, height).parallel().forEach(r -> partial[r] = body.row(r));
        double s = 0;
        for (double p : partial) {
            s += p;
        }
        return s;
    }
}
