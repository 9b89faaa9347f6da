package org.diff2dgs.metrics.internal;

import org.diff2dgs.core.api.Metric;
import org.diff2dgs.core.api.MetricSample;
import org.diff2dgs.core.image.Ssim;
import org.osgi.service.component.annotations.Component;

/**
 * Structural similarity (Wang et al. 2004) with the 11x11 Gaussian window (sigma 1.5, zero padding) of the 3DGS code
 * base: the per-channel SSIM map of {@link Ssim#map} averaged over the region's pixels and all channels. The map is
 * computed on the whole image, so pixels just outside the region still shape the windows of pixels inside it.
 */
@Component(service = Metric.class)
public final class SsimMetric implements Metric {

    public static final String NAME = "ssim";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Structural similarity, 11x11 Gaussian window (sigma 1.5), map averaged over the region's pixels and channels";
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
        float[] map = Ssim.map(sample.rendered(), sample.target());
        int width = sample.rendered().width();
        int channels = sample.rendered().channels();
        int plane = sample.rendered().pixels();
        float[] region = sample.region() == null ? null : sample.region().data();
        double[] sums = RowReduction.sum(sample.rendered().height(), 2, (y, out, o) -> {
            double total = 0;
            int pixels = 0;
            for (int p = y * width, end = p + width; p < end; p++) {
                if (!SampleChecks.inside(region, p)) {
                    continue;
                }
                pixels++;
                for (int c = 0; c < channels; c++) {
                    total += map[c * plane + p];
                }
            }
            out[o] = total;
            out[o + 1] = pixels;
        });
        return sums[1] == 0 ? Double.NaN : sums[0] / (sums[1] * channels);
    }
}
