package org.diff2dgs.metrics.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.diff2dgs.core.api.MetricSample;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.metrics.internal.PsnrMetric;
import org.junit.jupiter.api.Test;

class PsnrMetricTest {

    private final PsnrMetric psnr = new PsnrMetric();

    private double psnr(FloatImage rendered, FloatImage target, FloatImage region) {
        return psnr.compute(new MetricSample(rendered, target, null, null, region));
    }

    @Test
    void identicalImagesGiveInfinity() {
        FloatImage a = TestImages.random(new Random(1), 20, 15, 3, 0, 1);
        assertEquals(Double.POSITIVE_INFINITY, psnr(a, a.copy(), null));
    }

    @Test
    void constantOffsetGivesMinusTwentyLogDelta() {
        FloatImage target = TestImages.random(new Random(2), 24, 16, 3, 0.2, 0.8);
        for (float delta : new float[] {0.1f, 0.05f, 0.01f}) {
            double expected = -20 * Math.log10(delta);
            assertEquals(expected, psnr(TestImages.offset(target, delta), target, null), 1e-3, "delta " + delta);
        }
    }

    @Test
    void uniformNoiseOfKnownVarianceGivesTenLogOneOverVariance() {
        Random random = new Random(3);
        FloatImage target = TestImages.random(random, 64, 64, 3, 0.2, 0.8);
        double a = 0.1;
        float[] noisy = target.data().clone();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (float) ((2 * random.nextDouble() - 1) * a);
        }
        double variance = a * a / 3; // uniform on [-a, a]
        // 12288 samples: the sample mean of d^2 is within ~1% (0.04 dB) of a^2/3
        assertEquals(10 * Math.log10(1 / variance), psnr(new FloatImage(64, 64, 3, noisy), target, null), 0.15);
    }

    @Test
    void handComputedExampleWithRegion() {
        // 2x1 image, 3 channels; pixel 0 differs by (0.1, 0.2, 0.3), pixel 1 by (0.5, 0, 0)
        FloatImage target = new FloatImage(2, 1, 3, new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f});
        FloatImage rendered = new FloatImage(2, 1, 3, new float[] {0.6f, 0.0f, 0.7f, 0.5f, 0.8f, 0.5f});
        double mseAll = (0.01 + 0.25 + 0.04 + 0 + 0.09 + 0) / 6;
        assertEquals(10 * Math.log10(1 / mseAll), psnr(rendered, target, null), 1e-5);
        FloatImage first = new FloatImage(2, 1, 1, new float[] {1, 0});
        double mseFirst = (0.01 + 0.04 + 0.09) / 3;
        assertEquals(10 * Math.log10(1 / mseFirst), psnr(rendered, target, first), 1e-5);
    }

    @Test
    void errorsOutsideTheRegionDoNotCount() {
        Random random = new Random(4);
        FloatImage target = TestImages.random(random, 16, 12, 3, 0, 1);
        FloatImage region = TestImages.rectangle(16, 12, 3, 2, 10, 9);
        FloatImage rendered = target.copy();
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 16; x++) {
                if (region.get(0, x, y) == 0) {
                    rendered.set(1, x, y, 1 - target.get(1, x, y));
                }
            }
        }
        assertEquals(Double.POSITIVE_INFINITY, psnr(rendered, target, region));
        assertTrue(psnr(rendered, target, null) < 30);
    }

    @Test
    void emptyRegionGivesNaNAndBadShapesAreRefused() {
        FloatImage a = TestImages.random(new Random(5), 8, 8, 3, 0, 1);
        assertTrue(Double.isNaN(psnr(a, a, FloatImage.zeros(8, 8, 1))));
        FloatImage small = TestImages.random(new Random(6), 8, 7, 3, 0, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> psnr(a, small, null));
        assertTrue(e.getMessage().contains("psnr"));
    }
}
