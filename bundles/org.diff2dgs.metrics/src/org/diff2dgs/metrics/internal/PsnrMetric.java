package org.diff2dgs.metrics.internal;

import org.diff2dgs.core.api.Metric;
import org.diff2dgs.core.api.MetricSample;
import org.osgi.service.component.annotations.Component;

/**
 * Peak signal-to-noise ratio for colour in [0,1]: PSNR = 10 log10(1 / MSE), the MSE taken over the region's pixels
 * and all channels. An exact reproduction has MSE 0 and gives +Infinity (the evaluator's mean then is +Infinity too);
 * an empty region gives NaN.
 */
@Component(service = Metric.class)
public final class PsnrMetric implements Metric {

    public static final String NAME = "psnr";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Peak signal-to-noise ratio in dB, colour in [0,1], mean squared error over the region's pixels and channels";
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public boolean needsDepth() {
        return false;
    }

    @Override
    public double compute(MetricSample sample) {
        SampleChecks.colour(NAME, sample);
        int width = sample.rendered().width();
        int channels = sample.rendered().channels();
        int plane = sample.rendered().pixels();
        float[] r = sample.rendered().data();
        float[] t = sample.target().data();
        float[] region = sample.region() == null ? null : sample.region().data();
        double[] sums = RowReduction.sum(sample.rendered().height(), 2, (y, out, o) -> {
            double squared = 0;
            int pixels = 0;
            for (int p = y * width, end = p + width; p < end; p++) {
                if (!SampleChecks.inside(region, p)) {
                    continue;
                }
                pixels++;
                for (int c = 0; c < channels; c++) {
                    double d = (double) r[c * plane + p] - t[c * plane + p];
                    squared += d * d;
                }
            }
            out[o] = squared;
            out[o + 1] = pixels;
        });
        if (sums[1] == 0) {
            return Double.NaN;
        }
        double mse = sums[0] / (sums[1] * channels);
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1 / mse);
    }
}
