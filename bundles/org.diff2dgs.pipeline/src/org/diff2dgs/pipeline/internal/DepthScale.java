package org.diff2dgs.pipeline.internal;

import java.util.Arrays;

import org.diff2dgs.core.model.FloatImage;

/**
 * How rendered depth is stored in a 16-bit PNG: {@code stored = round(depth * scale)}, so {@code depth = stored / scale}
 * and 0 means "no surface". The scale is chosen from the depth range instead of being fixed: a fixed 1000 per scene
 * unit saturates every pixel of a scene in millimetres (the built-in scene renders at about 56..156 mm) and leaves a scene
 * in metres with a few hundred grey levels. The chosen scale is the largest of 1, 2 or 5 times a power of ten that
 * keeps the farthest depth at or below 65535, so the values stay readable by eye (e.g. 500 = 0.002 units per step) and
 * the rounding error is at most half a step, 0.5 / scale.
 *
 * @param scale    stored PNG value per scene unit
 * @param near     smallest valid depth of the frames it was chosen for (NaN when no pixel had a surface)
 * @param far      largest valid depth (NaN when none)
 * @param viewNear depth at the near end of the colour-mapped view: the 0.5th percentile of the valid depths, so a
 *                 few stray surfels at the border do not wash out the colours of the tissue
 * @param viewFar  depth at the far end of the view: the 99.5th percentile
 */
record DepthScale(double scale, double near, double far, double viewNear, double viewFar) {

    static final int MAX_STORED = 65535;
    static final double VIEW_PERCENTILE = 0.005;

    /** The scale for depths in [near, far]; the view spans the same range. */
    static DepthScale forRange(double near, double far) {
        return forRange(near, far, near, far);
    }

    private static DepthScale forRange(double near, double far, double viewNear, double viewFar) {
        if (!(far > 0) || !Double.isFinite(far)) {
            return new DepthScale(1, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double limit = MAX_STORED / far;
        double decade = Math.pow(10, Math.floor(Math.log10(limit)));
        double scale = decade;
        for (double m : new double[] {5, 2, 1}) {
            if (m * decade <= limit) {
                scale = m * decade;
                break;
            }
        }
        // log10 of an exact power of ten can land one ulp low; never exceed the limit
        while (far * scale > MAX_STORED) {
            scale /= 2;
        }
        return new DepthScale(scale, near, far, viewNear, viewFar);
    }

    /** The scale that fits every valid depth of the given images; pixels without a surface (0, NaN) do not count. */
    static DepthScale forImages(Iterable<FloatImage> depths) {
        int count = 0;
        for (FloatImage d : depths) {
            for (float v : d.data()) {
                count += v > 0 && Float.isFinite(v) ? 1 : 0;
            }
        }
        if (count == 0) {
            return forRange(Double.NaN, Double.NaN);
        }
        float[] valid = new float[count];
        int k = 0;
        for (FloatImage d : depths) {
            for (float v : d.data()) {
                if (v > 0 && Float.isFinite(v)) {
                    valid[k++] = v;
                }
            }
        }
        Arrays.sort(valid);
        int lo = (int) Math.floor(VIEW_PERCENTILE * (count - 1));
        int hi = (int) Math.ceil((1 - VIEW_PERCENTILE) * (count - 1));
        return forRange(valid[0], valid[count - 1], valid[lo], valid[hi]);
    }

    /** Largest difference between a depth and its decoded PNG value. */
    double resolution() {
        return 0.5 / scale;
    }
}
