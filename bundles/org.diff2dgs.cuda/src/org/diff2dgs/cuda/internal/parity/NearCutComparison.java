package org.diff2dgs.cuda.internal.parity;

import java.util.Arrays;

import org.diff2dgs.core.api.RenderOutput;

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
 *
 * <p>
 * Planes that are weighted sums of terms of both signs (the normal, and the distortion of 2DGS Sec. 4.1, formed as
 * m^2 (1 - T) + M2 - 2 m M1 per surfel) are measured against the magnitude of their terms, not only their own
 * largest value ({@link #compare(float[], float[], int, int, int[], double, int[])}): on a surface the distortion
 * is a difference of quantities near alpha (mapped depths m in [0, 1]) whose exact value is far below their float
 * rounding, so the twin's own plane is rounding noise (|distortion| about 1e-6 on the tissue scene, negative values
 * included) and a G a few ulps away moves it by about 1e-7: against a floor of 1e-3 of the plane's largest value,
 * 1e-9, that read as a relative error of 50 to 500 (docs/benchmarks/gpu.md run 3) without any kernel defect.
 */
public final class NearCutComparison {

    /** Flipped pixels allowed, as a fraction of all pixels (one in ten thousand). */
    public static final double MAX_FLIP_FRACTION = 1e-4;

    /**
     * @param maxRelError  worst relative error over the unflagged pixels
     * @param flagged      pixels the kernel flagged as near a cut
     * @param flips        flagged pixels beyond the tolerance in at least one plane
     * @param worstFlip    the largest relative error among the flips (0 without flips)
     * @param worstPlane   the plane of {@code maxRelError} (-1 when it is 0)
     */
    public record Outcome(double maxRelError, int flagged, int flips, double worstFlip, int pixels,
            int worstPlane) {

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
        int[] ownScale = new int[planes];
        Arrays.fill(ownScale, OWN_SCALE);
        return compare(gpu, cpu, planes, pixels, flags, tolerance, ownScale);
    }

    /**
     * A float-exp render against the double twin's: colour and AUX planes ({@link #renderPlanes}), the normal and
     * distortion planes against the magnitude of their terms ({@link #renderTermScale}), no pixel flagged where
     * {@code flags} is null.
     */
    public static Outcome compareRenders(RenderOutput gpu, RenderOutput cpu, int[] flags, double tolerance) {
        int hw = cpu.pixels();
        return compare(renderPlanes(gpu), renderPlanes(cpu), RENDER_PLANE_NAMES.size(), hw,
                flags == null ? new int[hw] : flags, tolerance, renderTermScale());
    }

    /** The planes of {@link #renderPlanes}: colour, then the AUX planes of RenderOutput. */
    public static final java.util.List<String> RENDER_PLANE_NAMES = java.util.List.of("colour r", "colour g",
            "colour b", "depth sum", "alpha", "normal x", "normal y", "normal z", "median depth", "distortion");

    /** The name of plane {@code k} of {@link #renderPlanes}, "-" for -1. */
    public static String renderPlaneName(int k) {
        return k < 0 ? "-" : RENDER_PLANE_NAMES.get(k);
    }

    /** Colour planes then AUX planes, one array. */
    public static float[] renderPlanes(RenderOutput r) {
        float[] out = new float[r.color().length + r.others().length];
        System.arraycopy(r.color(), 0, out, 0, r.color().length);
        System.arraycopy(r.others(), 0, out, r.color().length, r.others().length);
        return out;
    }

    /**
     * The term scales of a render's planes: the normal planes (sums of w n with |n| = 1) and the distortion plane
     * (sums of w (m^2 (1 - T) + M2 - 2 m M1) with mapped depths m, M1 / alpha and M2 / alpha in [0, 1], so each term is
     * at most 4 w) against the pixel's alpha (the sum of the weights w); colour, depth sum, alpha and median depth,
     * sums of positive terms or one surfel's depth, against their own values.
     */
    public static int[] renderTermScale() {
        int alpha = 3 + RenderOutput.AUX_ALPHA;
        int[] s = new int[3 + RenderOutput.AUX_CHANNELS];
        Arrays.fill(s, OWN_SCALE);
        for (int k = 0; k < 3; k++) {
            s[3 + RenderOutput.AUX_NORMAL + k] = alpha;
        }
        s[3 + RenderOutput.AUX_DISTORTION] = alpha;
        return s;
    }

    /** In {@code termScale}: the plane is measured against its own values only (floor 1e-3 of its largest). */
    public static final int OWN_SCALE = -1;

    /**
     * As {@link #compare(float[], float[], int, int, int[], double)}, with plane k measured against the magnitude of
     * its terms where {@code termScale[k]} names another plane: the reference value at a pixel is then at least the
     * twin's value of that plane at the pixel (for the normal and distortion planes the alpha plane: each of their
     * terms is at most a few times the surfel's weight w, and the weights sum to alpha).
     *
     * @param termScale per plane, {@link #OWN_SCALE} or the index of the plane whose per-pixel magnitude bounds its
     *                  terms
     */
    public static Outcome compare(float[] gpu, float[] cpu, int planes, int pixels, int[] flags, double tolerance,
            int[] termScale) {
        if (gpu.length != cpu.length || cpu.length != (long) planes * pixels || flags.length < pixels
                || termScale.length != planes) {
            throw new IllegalArgumentException("near-cut comparison: " + gpu.length + " and " + cpu.length
                    + " values, " + flags.length + " flags, " + termScale.length + " scales for " + planes
                    + " planes of " + pixels + " pixels");
        }
        for (int s : termScale) {
            if (s != OWN_SCALE && (s < 0 || s >= planes)) {
                throw new IllegalArgumentException("near-cut comparison: term scale plane " + s + " of " + planes);
            }
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
        int worstPlane = -1;
        double worstFlip = 0;
        int flagged = 0;
        int flips = 0;
        for (int p = 0; p < pixels; p++) {
            double e = 0;
            int plane = -1;
            for (int k = 0; k < planes; k++) {
                double g = gpu[k * pixels + p];
                double c = cpu[k * pixels + p];
                if (!Double.isFinite(g) || !Double.isFinite(c)) {
                    e = Double.POSITIVE_INFINITY;
                    plane = k;
                    break;
                }
                double scale = Math.max(Math.abs(c), floor[k]);
                if (termScale[k] != OWN_SCALE) {
                    scale = Math.max(scale, Math.abs((double) cpu[termScale[k] * pixels + p]));
                }
                double ek = Math.abs(g - c) / scale;
                if (ek > e) {
                    e = ek;
                    plane = k;
                }
            }
            if (flags[p] != 0 && Double.isFinite(e)) {
                flagged++;
                if (e > tolerance) {
                    flips++;
                    worstFlip = Math.max(worstFlip, e);
                    continue;
                }
            }
            if (e > worst) {
                worst = e;
                worstPlane = plane;
            }
        }
        return new Outcome(worst, flagged, flips, worstFlip, pixels, worstPlane);
    }
}
