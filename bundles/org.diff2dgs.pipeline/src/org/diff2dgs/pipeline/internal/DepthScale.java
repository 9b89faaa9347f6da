package org.diff2dgs.pipeline.internal;

import org.diff2dgs.core.model.FloatImage;

/**
 * How rendered depth is stored in a 16-bit PNG: {@code stored = round(depth * scale)}, so {@code depth = stored / scale}
 * and 0 means "no surface". The scale is chosen from the depth range instead of being fixed: a fixed 1000 per scene
 * unit saturates every pixel of a scene in millimetres (the built-in scene spans about 26..106 mm) and leaves a scene
 * in metres with a few hundred grey levels. The chosen scale is the largest of 1, 2 or 5 times a power of ten that
 * keeps the farthest depth at or below 65535, so the values stay readable by eye (e.g. 500 = 0.002 units per step) and
 * the rounding error is at most half a step, 0.5 / scale.
 *
 * @param scale stored PNG value per scene unit
 * @param near  smallest valid depth of the frames it was chosen for (NaN when no pixel had a surface)
 * @param far   largest valid depth (NaN when none)
 */
record DepthScale(double scale, double near, double far) {

    static final int MAX_STORED = 65535;

    /** The scale for depths in [near, far]; pixels without a surface (0, NaN, negative) do not count. */
    static DepthScale forRange(double near, double far) {
        if (!(far > 0) || !Double.isFinite(far)) {
            return new DepthScale(1, Double.NaN, Double.NaN);
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
        return new DepthScale(scale, near, far);
    }

    /** The scale that fits every valid depth of the given images. */
    static DepthScale forImages(Iterable<FloatImage> depths) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (FloatImage d : depths) {
            for (float v : d.data()) {
                if (v > 0 && Float.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return hi > 0 ? forRange(lo, hi) : forRange(Double.NaN, Double.NaN);
    }

    /** Largest difference between a depth and its decoded PNG value. */
    double resolution() {
        return 0.5 / scale;
    }
}
