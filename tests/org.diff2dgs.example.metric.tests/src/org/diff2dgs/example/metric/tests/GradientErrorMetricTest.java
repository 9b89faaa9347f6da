package org.diff2dgs.example.metric.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.diff2dgs.core.api.Metric;
import org.diff2dgs.core.api.MetricSample;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.example.metric.internal.GradientErrorMetric;
import org.junit.jupiter.api.Test;

class GradientErrorMetricTest {

    private static final int W = 20;
    private static final int H = 7;

    private final Metric metric = new GradientErrorMetric();

    /** A horizontal ramp {@code base + slope * x} in the given channels (others 0). */
    private static FloatImage ramp(double slope, boolean... channels) {
        FloatImage image = FloatImage.zeros(W, H, 3);
        for (int c = 0; c < 3; c++) {
            if (!channels[c]) {
                continue;
            }
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    image.set(c, x, y, (float) (0.2 + slope * x));
                }
            }
        }
        return image;
    }

    private static FloatImage columns(int x0, int x1) {
        FloatImage mask = FloatImage.zeros(W, H, 1);
        for (int y = 0; y < H; y++) {
            for (int x = x0; x < x1; x++) {
                mask.set(0, x, y, 1);
            }
        }
        return mask;
    }

    private double value(FloatImage rendered, FloatImage target, FloatImage region) {
        return metric.compute(new MetricSample(rendered, target, null, null, region));
    }

    @Test
    void identicalImagesHaveNoGradientError() {
        Random random = new Random(1);
        float[] data = new float[W * H * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat();
        }
        FloatImage image = new FloatImage(W, H, 3, data);
        assertEquals(0.0, value(image, image.copy(), null));
        assertFalse(metric.higherIsBetter());
        assertFalse(metric.needsDepth());
    }

    @Test
    void rampsOfTwoSlopesDifferByTheSlopeDifference() {
        // grey ramps: luminance = value. Inside, the scaled Sobel gives the slope exactly; in the first and last
        // column the repeated edge pixel halves it. So 18 columns err by 0.01 and 2 by 0.005.
        FloatImage target = ramp(0.01, true, true, true);
        FloatImage rendered = ramp(0.02, true, true, true);
        assertEquals(0.01, value(rendered, target, columns(1, W - 1)), 1e-6);
        assertEquals((18 * 0.01 + 2 * 0.005) / 20, value(rendered, target, null), 1e-6);
        // only luminance counts: a blue-only ramp is weighted by 0.0722
        assertEquals(0.0722 * 0.01, value(ramp(0.02, false, false, true), ramp(0.01, false, false, true),
                columns(1, W - 1)), 1e-6);
    }

    @Test
    void blurringAnEdgeRaisesTheErrorAndEmptyRegionIsNaN() {
        FloatImage sharp = FloatImage.zeros(W, H, 3);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = W / 2; x < W; x++) {
                    sharp.set(c, x, y, 0.8f);
                }
            }
        }
        double previous = 0;
        FloatImage blurred = sharp;
        for (int pass = 0; pass < 3; pass++) {
            blurred = boxBlurRows(blurred);
            double error = value(blurred, sharp, null);
            assertTrue(error > previous, "pass " + pass + ": " + error + " <= " + previous);
            previous = error;
        }
        assertTrue(Double.isNaN(value(blurred, sharp, FloatImage.zeros(W, H, 1))));
        // far from the edge nothing differs
        assertEquals(0.0, value(blurred, sharp, columns(0, 3)), 1e-7);
        FloatImage gray = FloatImage.zeros(W, H, 1);
        assertThrows(IllegalArgumentException.class, () -> value(gray, gray, null));
    }

    private static FloatImage boxBlurRows(FloatImage image) {
        FloatImage out = image.copy();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    float l = image.get(c, Math.max(x - 1, 0), y);
                    float r = image.get(c, Math.min(x + 1, W - 1), y);
                    out.set(c, x, y, (l + image.get(c, x, y) + r) / 3);
                }
            }
        }
        return out;
    }
}
