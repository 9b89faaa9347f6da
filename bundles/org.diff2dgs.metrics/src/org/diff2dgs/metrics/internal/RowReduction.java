package org.diff2dgs.metrics.internal;

import java.util.stream.IntStream;

/**
 * Sums per-pixel terms of an image in parallel over rows, then adds the row totals in row order, so a metric gives
 * the same bits whatever the thread count or scheduling.
 */
final class RowReduction {

    /** Adds the terms of row {@code y} into {@code sums[offset .. offset + slots)}. */
    @FunctionalInterface
    interface RowKernel {
        void accumulate(int y, double[] sums, int offset);
    }

    private RowReduction() {
    }

    static double[] sum(int height, int slots, RowKernel kernel) {
        double[] rows = new double[height * slots];
        IntStream.range(0, height).parallel().forEach(y -> kernel.accumulate(y, rows, y * slots));
        double[] total = new double[slots];
        for (int y = 0; y < height; y++) {
            for (int k = 0; k < slots; k++) {
                total[k] += rows[y * slots + k];
            }
        }
        return total;
    }
}
