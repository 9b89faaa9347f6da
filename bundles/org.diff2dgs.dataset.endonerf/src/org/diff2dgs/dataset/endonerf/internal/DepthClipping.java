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

    /** Counts of each raw integer sample 0..maxValue in one pass; bin 0 holds the invalid pixels. */
    public static int[] histogram(float[] raw, int maxValue) {
        int[] hist = new int[maxValue + 1];
        for (float v : raw) {
            hist[(int) v]++;
        }
        return hist;
    }

    /**
     * The clipping limits {lo, hi} in raw units for a frame's histogram, or null when clipping is off or no pixel
     * is valid. Percentiles use NumPy's default linear interpolation; a histogram suffices because PNG samples are
     * integers below 2^16.
     */
    public double[] limits(int[] hist) {
        long valid = 0;
        for (int v = 1; v < hist.length; v++) {
            valid += hist[v];
        }
        if (!enabled || valid == 0) {
            return null;
        }
        return new double[] {percentile(hist, valid, low), percentile(hist, valid, high)};
    }

    /** NumPy 'linear' percentile: value at rank q/100 * (n - 1), interpolated between neighbours. */
    public static double percentile(int[] hist, long n, double q) {
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
