package org.diff2dgs.metrics.internal;

import org.diff2dgs.core.api.Metric;
import org.diff2dgs.core.api.MetricSample;

/**
 * A depth error averaged over the valid pixels of the region: those where both the reference and the rendered depth
 * are positive and finite (0 marks "no depth" in the datasets, and a rendered 0 means nothing was drawn). NaN when no
 * pixel is valid.
 */
abstract class DepthMetric implements Metric {

    @Override
    public final boolean needsDepth() {
        return true;
    }

    /** The per-pixel term that is averaged; rendered and reference are both > 0. */
    abstract double term(double rendered, double reference);

    /** Maps the mean term to the reported value (e.g. the square root for RMSE). */
    double finish(double meanTerm) {
        return meanTerm;
    }

    @Override
    public final double compute(MetricSample sample) {
        SampleChecks.depth(name(), sample);
        int width = sample.renderedDepth().width();
        float[] r = sample.renderedDepth().data();
        float[] t = sample.targetDepth().data();
        float[] region = sample.region() == null ? null : sample.region().data();
        double[] sums = RowReduction.sum(sample.renderedDepth().height(), 2, (y, out, o) -> {
            double total = 0;
            int pixels = 0;
            for (int p = y * width, end = p + width; p < end; p++) {
                if (SampleChecks.inside(region, p) && valid(r[p]) && valid(t[p])) {
                    total += term(r[p], t[p]);
                    pixels++;
                }
            }
            out[o] = total;
            out[o + 1] = pixels;
        });
        return sums[1] == 0 ? Double.NaN : finish(sums[0] / sums[1]);
    }

    private static boolean valid(float depth) {
        return depth > 0 && depth < Float.POSITIVE_INFINITY;
    }
}
