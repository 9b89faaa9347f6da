package org.diff2dgs.metrics.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.diff2dgs.core.api.MetricSample;
import org.diff2dgs.core.image.Ssim;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.metrics.internal.SsimMetric;
import org.junit.jupiter.api.Test;

class SsimMetricTest {

    private final SsimMetric ssim = new SsimMetric();

    private double ssim(FloatImage rendered, FloatImage target, FloatImage region) {
        return ssim.compute(new MetricSample(rendered, target, null, null, region));
    }

    @Test
    void identicalImagesGiveOne() {
        FloatImage a = TestImages.random(new Random(1), 24, 20, 3, 0, 1);
        assertEquals(1.0, ssim(a, a.copy(), null), 1e-6);
        assertEquals(1.0, ssim(a, a.copy(), TestImages.rectangle(24, 20, 4, 4, 12, 10)), 1e-6);
    }

    @Test
    void constantImagesAwayFromTheBorderMatchTheClosedForm() {
        // Constant x = a, y = b: wherever the 11x11 window lies inside the image the variances and the covariance are
        // 0, so SSIM = (2ab + C1) C2 / ((a^2 + b^2 + C1) C2) = (2ab + C1) / (a^2 + b^2 + C1). The region keeps exactly
        // those pixels (5 from every edge); near the edge the zero padding makes the window see a step.
        int w = 25;
        int h = 21;
        float a = 0.5f;
        float b = 0.25f;
        FloatImage interior = TestImages.rectangle(w, h, 5, 5, w - 5, h - 5);
        double c1 = 0.01 * 0.01;
        double expected = (2.0 * a * b + c1) / (a * a + b * b + c1);
        double value = ssim(TestImages.constant(w, h, 3, a), TestImages.constant(w, h, 3, b), interior);
        assertEquals(expected, value, 1e-5);
        assertEquals(0.80006, expected, 1e-5);
    }

    @Test
    void wholeImageValueIsTheMeanOfTheMapAndTheRegionSelectsPixels() {
        Random random = new Random(2);
        FloatImage a = TestImages.random(random, 30, 22, 3, 0, 1);
        FloatImage b = TestImages.random(random, 30, 22, 3, 0, 1);
        assertEquals(Ssim.mean(a, b), ssim(a, b, null), 1e-6);
        FloatImage region = TestImages.rectangle(30, 22, 7, 3, 19, 15);
        float[] map = Ssim.map(a, b);
        double sum = 0;
        int n = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 3; y < 15; y++) {
                for (int x = 7; x < 19; x++) {
                    sum += map[c * 30 * 22 + y * 30 + x];
                    n++;
                }
            }
        }
        assertEquals(sum / n, ssim(a, b, region), 1e-6);
    }

    @Test
    void moreNoiseLowersSsimAndEmptyRegionIsNaN() {
        Random random = new Random(3);
        FloatImage clean = TestImages.random(random, 32, 32, 3, 0.3, 0.7);
        double previous = 1.0;
        for (double amplitude : new double[] {0.02, 0.1, 0.3}) {
            float[] noisy = clean.data().clone();
            for (int i = 0; i < noisy.length; i++) {
                noisy[i] += (float) ((2 * random.nextDouble() - 1) * amplitude);
            }
            double value = ssim(new FloatImage(32, 32, 3, noisy), clean, null);
            assertTrue(value < previous, "SSIM must fall as noise " + amplitude + " grows");
            previous = value;
        }
        assertTrue(Double.isNaN(ssim(clean, clean, FloatImage.zeros(32, 32, 1))));
    }
}
