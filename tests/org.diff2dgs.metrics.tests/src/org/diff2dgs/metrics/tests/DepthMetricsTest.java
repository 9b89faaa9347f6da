package org.diff2dgs.metrics.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.diff2dgs.core.api.Metric;
import org.diff2dgs.core.api.MetricSample;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.metrics.internal.DepthAbsRelMetric;
import org.diff2dgs.metrics.internal.DepthDelta1Metric;
import org.diff2dgs.metrics.internal.DepthRmseMetric;
import org.junit.jupiter.api.Test;

class DepthMetricsTest {

    private final Metric rmse = new DepthRmseMetric();
    private final Metric absRel = new DepthAbsRelMetric();
    private final Metric delta1 = new DepthDelta1Metric();

    private static MetricSample depths(FloatImage rendered, FloatImage target, FloatImage region) {
        return new MetricSample(null, null, rendered, target, region);
    }

    @Test
    void handComputedExample() {
        // reference [1, 2, 0, 4, 5, 2], rendered [1.5, 2.5, 3, 0, 4, 2]: pixel 2 has no reference depth and pixel 3
        // no rendered depth, so four pixels count. Errors 0.5, 0.5, -1, 0.
        FloatImage target = new FloatImage(3, 2, 1, new float[] {1, 2, 0, 4, 5, 2});
        FloatImage rendered = new FloatImage(3, 2, 1, new float[] {1.5f, 2.5f, 3, 0, 4, 2});
        MetricSample s = depths(rendered, target, null);
        assertEquals(Math.sqrt((0.25 + 0.25 + 1 + 0) / 4), rmse.compute(s), 1e-9);
        assertEquals((0.5 / 1 + 0.5 / 2 + 1.0 / 5 + 0) / 4, absRel.compute(s), 1e-9);
        // ratios 1.5, 1.25 (not below the threshold: strict), 1.25 (5/4), 1
        assertEquals(1.0 / 4, delta1.compute(s), 1e-12);

        FloatImage region = new FloatImage(3, 2, 1, new float[] {0, 1, 1, 1, 0, 1});
        MetricSample r = depths(rendered, target, region);
        assertEquals(Math.sqrt(0.25 / 2), rmse.compute(r), 1e-9);
        assertEquals(0.25 / 2, absRel.compute(r), 1e-9);
        assertEquals(0.5, delta1.compute(r), 1e-12);
    }

    @Test
    void identicalDepthGivesZeroErrorAndFullAccuracy() {
        FloatImage depth = TestImages.random(new Random(1), 17, 11, 1, 0.5, 20);
        MetricSample s = depths(depth, depth.copy(), null);
        assertEquals(0.0, rmse.compute(s));
        assertEquals(0.0, absRel.compute(s));
        assertEquals(1.0, delta1.compute(s));
    }

    @Test
    void scaledDepthGivesKnownRelativeError() {
        FloatImage target = TestImages.random(new Random(2), 16, 16, 1, 1, 10);
        float[] scaled = target.data().clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= 1.1f;
        }
        MetricSample s = depths(new FloatImage(16, 16, 1, scaled), target, null);
        assertEquals(0.1, absRel.compute(s), 1e-6);
        assertEquals(1.0, delta1.compute(s));
        double sumSq = 0;
        for (float t : target.data()) {
            sumSq += 0.01 * t * t;
        }
        assertEquals(Math.sqrt(sumSq / 256), rmse.compute(s), 1e-5);
    }

    @Test
    void noValidPixelGivesNaN() {
        FloatImage target = TestImages.random(new Random(3), 8, 8, 1, 1, 2);
        MetricSample nothingRendered = depths(FloatImage.zeros(8, 8, 1), target, null);
        MetricSample emptyRegion = depths(target, target, FloatImage.zeros(8, 8, 1));
        for (Metric m : new Metric[] {rmse, absRel, delta1}) {
            assertTrue(m.needsDepth());
            assertTrue(Double.isNaN(m.compute(nothingRendered)), m.name());
            assertTrue(Double.isNaN(m.compute(emptyRegion)), m.name());
        }
        assertFalse(rmse.higherIsBetter());
        assertTrue(delta1.higherIsBetter());
    }
}
