package org.diff2dgs.cuda.internal.parity;

/**
 * Forward parity of the float-exp render kernels (DeviceRasterizer's ExpMode FLOAT and FAST). G = exp(-rho/2) in
 * float differs from Java's {@code (float) Math.exp} by a few ulps, which is far below the 1e-4 tolerance, except
 * where it moves a decision across its cut: alpha against 1/255, T against 1e-4 (saturation), T against 0.5 (the
 * median). A pixel that flips there gains or loses a whole contribution (about 1/255 of its colour), far above the
 * tolerance, and no tolerance short of that would tell a flip from a real error. So the kernel flags every pixel in
 * which one of those decisions came within a relative 1e-5 of its cut (raster_common.cuh NEAR_CUT_RELATIVE), and
 * this comparison keeps two numbers apart:
 * <ul>
 * <li>the relative error (as {@link RelativeError}, floor 1e-3 of each plane's largest magnitude) over the pixels
 * that were not flagged: must be within the tolerance, as for the double kernels;</li>
 * <li>the flips: flagged pixels that differ beyond the tolerance in some plane. Counted and reported, never
 * hidden; the check allows at most {@link #MAX_FLIP_FRACTION} of the pixels.</li>
 * </ul>
 * A pixel beyond the tolerance that was not flagged is a real error and fails the check.
 */
public final class NearCutComparison {

    /** Flipped pixels allowed, as a fraction of all pixels (one in ten thousand). */
    public static final double MAX_FLIP_FRACTION = 1e-4;

    /**
     * @param maxRelError  worst relative error over the unflagged pixels
     * @param flagged      pixels the kernel flagged as near a cut
     * @param flips        flagged pixels beyond the tolerance in at least one plane
     * @param worstFlip    the largest relative error among the flips (0 without flips)
     */
    public record Outcome(double maxRelError, int flagged, int flips, double worstFlip, int pixels) {

        /** Within tolerance away from the cuts, and few enough flips. */
        public boolean passed(double tolerance) {
            return maxRelError <= tolerance && flips <= Math.floor(MAX_FLIP_FRACTION * pixels);
        }
    }

    private NearCutComparison() {
    }

    /**
     * Compares {@code planes} image planes of {@code pixels} floats each (planar, as the render outputs).
     *
     * @param flags per pixel, non-zero where the kernel met a decision near its cut
     */
    public static Outcome compare(float[] gpu, float[] cpu, int planes, int pixels, int[] flags, double tolerance) {
        if (gpu.length != cpu.length || cpu.length != (long) planes * pixels || flags.length < pixels) {
            throw new IllegalArgumentException("near-cut comparison: " + gpu.length + " and " + cpu.length
                    + " values, " + flags.length + " flags for " + planes + " planes of " + pixels + " pixels");
        }
        double[] floor = new double[planes];
        for (int k = 0; k < planes; k++) {
            double maxAbs = 0;
            for (int p = 0; p < pixels; p++) {
                maxAbs = Math.max(maxAbs, Math.abs((double) cpu[k * pixels + p]));
            }
            floor[k] = Math.max(maxAbs * RelativeError.DEFAULT_FLOOR, Double.MIN_NORMAL);
        }
        double worst = 0;
        double worstFlip = 0;
        int flagged = 0;
        int flips = 0;
        for (int p = 0; p < pixels; p++) {
            double e = 0;
            for (int k = 0; k < planes; k++) {
                double g = gpu[k * pixels + p];
                double c = cpu[k * pixels + p];
                if (!Double.isFinite(g) || !Double.isFinite(c)) {
                    e = Double.POSITIVE_INFINITY;
                    break;
                }
                e = Math.max(e, Math.abs(g - c) / Math.max(Math.abs(c), floor[k]));
            }
            if (flags[p] != 0 && Double.isFinite(e)) {
                flagged++;
                if (e > tolerance) {
                    flips++;
                    worstFlip = Math.max(worstFlip, e);
                    continue;
                }
            }
            worst = Math.max(worst, e);
        }
        return new Outcome(worst, flagged, flips, worstFlip, pixels);
    }
}
