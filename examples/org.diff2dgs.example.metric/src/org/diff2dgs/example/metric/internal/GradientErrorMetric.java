package org.diff2dgs.example.metric.internal;

import java.util.stream.IntStream;

import org.diff2dgs.core.api.Metric;
import org.diff2dgs.core.api.MetricSample;
import org.diff2dgs.core.model.FloatImage;
import org.osgi.service.component.annotations.Component;

/**
 * Edge sharpness error: the mean absolute difference between the Sobel gradient magnitudes of the rendered and the
 * reference luminance, over the region. PSNR barely moves when a reconstruction blurs a vessel or an instrument edge;
 * this number does. Zero for identical images, in luminance units per pixel otherwise.
 *
 * <p>This bundle is the pattern for a lab's own metric: one class implementing {@link Metric}, registered as a
 * Declarative Services component. Nothing else in the workbench changes; the metric appears in {@code eval}, batch
 * runs and the workbench as soon as the bundle starts, and disappears when it stops.
 */
@Component(service = Metric.class)
public final class GradientErrorMetric implements Metric {

    public static final String NAME = "gradient-error";

    /** Rec. 709 luminance weights; the workbench's colour is linear RGB. */
    private static final float WR = 0.2126f;
    private static final float WG = 0.7152f;
    private static final float WB = 0.0722f;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Mean absolute difference of Sobel gradient magnitudes of luminance over the region (edge sharpness)";
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    public boolean needsDepth() {
        return false;
    }

    @Override
    public double compute(MetricSample sample) {
        FloatImage rendered = sample.rendered();
        FloatImage target = sample.target();
        if (rendered == null || target == null || !rendered.sameSize(target) || rendered.channels() != 3
                || target.channels() != 3) {
            throw new IllegalArgumentException(NAME + ": needs two 3-channel images of one size, got " + rendered
                    + " and " + target);
        }
        FloatImage region = sample.region();
        if (region != null && (region.channels() != 1 || !region.sameSize(rendered))) {
            throw new IllegalArgumentException(NAME + ": region " + region + " does not fit " + rendered);
        }
        int w = rendered.width();
        int h = rendered.height();
        float[] gr = gradientMagnitude(luminance(rendered), w, h);
        float[] gt = gradientMagnitude(luminance(target), w, h);
        float[] mask = region == null ? null : region.data();
        double[] rowSums = new double[h];
        int[] rowCounts = new int[h];
        IntStream.range(0, h).parallel().forEach(y -> {
            double sum = 0;
            int n = 0;
            for (int p = y * w; p < (y + 1) * w; p++) {
                if (mask == null || mask[p] > 0.5f) {
                    sum += Math.abs(gr[p] - gt[p]);
                    n++;
                }
            }
            rowSums[y] = sum;
            rowCounts[y] = n;
        });
        double sum = 0;
        long count = 0;
        for (int y = 0; y < h; y++) {
            sum += rowSums[y];
            count += rowCounts[y];
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    static float[] luminance(FloatImage rgb) {
        int n = rgb.pixels();
        float[] d = rgb.data();
        float[] out = new float[n];
        for (int p = 0; p < n; p++) {
            out[p] = WR * d[p] + WG * d[n + p] + WB * d[2 * n + p];
        }
        return out;
    }

    /**
     * Sobel gradient magnitude, divided by 8 so that a ramp of slope a per pixel gives a; edge pixels repeat their
     * neighbour (clamp to edge), so a flat image has no border gradient.
     */
    static float[] gradientMagnitude(float[] lum, int w, int h) {
        float[] out = new float[w * h];
        IntStream.range(0, h).parallel().forEach(y -> {
            int up = Math.max(y - 1, 0) * w;
            int mid = y * w;
            int down = Math.min(y + 1, h - 1) * w;
            for (int x = 0; x < w; x++) {
                int l = Math.max(x - 1, 0);
                int r = Math.min(x + 1, w - 1);
                float gx = (lum[up + r] - lum[up + l]) + 2 * (lum[mid + r] - lum[mid + l]) + (lum[down + r] - lum[down + l]);
                float gy = (lum[down + l] - lum[up + l]) + 2 * (lum[down + x] - lum[up + x]) + (lum[down + r] - lum[up + r]);
                out[mid + x] = (float) Math.sqrt(gx * gx + gy * gy) / 8f;
            }
        });
        return out;
    }
}
