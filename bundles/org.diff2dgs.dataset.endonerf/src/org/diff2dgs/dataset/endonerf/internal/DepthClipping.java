package org.diff2dgs.dataset.endonerf.internal;

import java.util.Locale;

/**
 * Per-frame percentile clipping of depth, as the public EndoNeRF loaders do (3rd..99.8th percentile of the valid
 * pixels) to tame stereo outliers. Unlike np.clip in those loaders, invalid (zero) pixels stay zero instead of being
 * raised to the low percentile: zero means "no measurement" in our data model.
 *
 * @param enabled whether to clip at all
 * @param low     lower percentile in [0, 100]
 * @param high    upper percentile in [low, 100]
 */
public record DepthClipping(boolean enabled, double low, double high) {

    public static final DepthClipping PUBLIC_LOADERS = new DepthClipping(true, 3.0, 99.8);
    public static final DepthClipping OFF = new DepthClipping(false, 0, 100);

    public DepthClipping {
        if (!(low >= 0 && high <= 100 && low <= high)) {
            throw new IllegalArgumentException("depth clipping percentiles must satisfy 0 <= low <= high <= 100, got "
                    + low + ", " + high);
        }
    }

    public String describe() {
        return enabled ? String.format(Locale.ROOT, "per frame to its %.1f-%.1f percentile of valid pixels", low, high)
                : "off";
    }

    /**
     * Clips the valid (positive) raw integer samples of one frame in place. Percentiles use NumPy's default linear
     * interpolation, computed from a histogram because samples are integers below 2^16. Returns {lo, hi} or null
     * when nothing is valid or clipping is off.
     */
    public double[] apply(float[] raw, int maxValue) {
        if (!enabled) {
            return null;
        }
        int[] hist = new int[maxValue + 1];
        int valid = 0;
        for (float v : raw) {
            if (v > 0) {
                hist[(int) v]++;
                valid++;
            }
        }
        if (valid == 0) {
            return null;
        }
        double lo = percentile(hist, valid, low);
        double hi = percentile(hist, valid, high);
        float flo = (float) lo;
        float fhi = (float) hi;
        for (int i = 0; i < raw.length; i++) {
            float v = raw[i];
            if (v > 0) {
                raw[i] = v < flo ? flo : v > fhi ? fhi : v;
            }
        }
        return new double[] {lo, hi};
    }

    /** NumPy 'linear' percentile: value at rank q/100 * (n - 1), interpolated between neighbours. */
    public static double percentile(int[] hist, int n, double q) {
        double rank = q / 100.0 * (n - 1);
        long below = (long) Math.floor(rank);
        double frac = rank - below;
        double a = kth(hist, below);
        double b = frac > 0 ? kth(hist, below + 1) : a;
        return a + (b - a) * frac;
    }

    /** The k-th smallest (0-based) of the histogrammed values; bins 1.. only (zeros are invalid, not counted). */
    private static double kth(int[] hist, long k) {
        long seen = 0;
        for (int v = 1; v < hist.length; v++) {
            seen += hist[v];
            if (seen > k) {
                return v;
            }
        }
        return hist.length - 1;
    }
}
