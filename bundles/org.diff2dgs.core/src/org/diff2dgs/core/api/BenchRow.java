package org.diff2dgs.core.api;

/**
 * One measured quantity. {@code value} is NaN when it was not measured; {@code note} then says why (e.g. "not yet:
 * CUDA training session missing"), else it may qualify the number (repeats, sizes).
 *
 * @param section e.g. "kernels", "rasterizer", "training", "memory"
 */
public record BenchRow(String section, String name, double value, String unit, String note) {

    public boolean measured() {
        return !Double.isNaN(value);
    }

    public static BenchRow missing(String section, String name, String unit, String why) {
        return new BenchRow(section, name, Double.NaN, unit, why);
    }
}
