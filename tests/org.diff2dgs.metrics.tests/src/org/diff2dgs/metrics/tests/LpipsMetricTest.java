package org.diff2dgs.metrics.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.diff2dgs.core.api.MetricSample;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.metrics.internal.LpipsMetric;
import org.diff2dgs.metrics.internal.LpipsModelLocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LpipsMetricTest {

    // odd, unequal sizes so that a swapped H and W or a wrong layout shows
    private static final int W = 13;
    private static final int H = 9;

    @TempDir
    Path dir;

    private LpipsMetric metricFor(Path model) {
        return new LpipsMetric(new LpipsModelLocator(Map.of(LpipsModelLocator.PROPERTY, model.toString())::get,
                k -> null, dir.resolve("home")));
    }

    private static float[] toNetwork(FloatImage image, FloatImage region) {
        float[] out = new float[image.data().length];
        int plane = image.pixels();
        for (int i = 0; i < out.length; i++) {
            float v = region == null || region.data()[i % plane] > 0.5f ? image.data()[i] : 0f;
            out[i] = 2 * v - 1;
        }
        return out;
    }

    @Test
    void distanceMatchesJavaRecomputationOfTheNetwork() throws IOException {
        TinyLpipsOnnx net = new TinyLpipsOnnx(7);
        Path model = dir.resolve("tiny.onnx");
        net.write(model, TinyLpipsOnnx.OutputShape.NCHW);
        Random random = new Random(11);
        FloatImage a = TestImages.random(random, W, H, 3, 0, 1);
        FloatImage b = TestImages.random(random, W, H, 3, 0, 1);
        try (LpipsMetric metric = metricFor(model)) {
            assertNull(metric.unavailableReason());
            double value = metric.compute(new MetricSample(a, b, null, null, null));
            double expected = net.distance(toNetwork(a, null), toNetwork(b, null), W, H);
            assertTrue(expected > 1e-3, "test images must differ visibly for the network");
            assertEquals(expected, value, 1e-5 * expected);
            assertEquals(0.0, metric.compute(new MetricSample(a, a.copy(), null, null, null)), 1e-12);
        }
    }

    @Test
    void inputsAreMappedFromUnitRangeToPlusMinusOne() throws IOException {
        TinyLpipsOnnx net = new TinyLpipsOnnx(8);
        Path model = dir.resolve("tiny.onnx");
        net.write(model, TinyLpipsOnnx.OutputShape.NCHW);
        FloatImage a = TestImages.random(new Random(3), W, H, 3, 0, 1);
        FloatImage b = TestImages.random(new Random(4), W, H, 3, 0, 1);
        try (LpipsMetric metric = metricFor(model)) {
            double value = metric.compute(new MetricSample(a, b, null, null, null));
            double unmapped = net.distance(a.data(), b.data(), W, H);
            double mapped = net.distance(toNetwork(a, null), toNetwork(b, null), W, H);
            // the ReLU and the zero padding make the two differ; the metric must give the mapped one
            assertTrue(Math.abs(unmapped - mapped) > 1e-2 * mapped);
            assertEquals(mapped, value, 1e-5 * mapped);
        }
    }

    @Test
    void regionMultipliesBothInputsByTheMask() throws IOException {
        TinyLpipsOnnx net = new TinyLpipsOnnx(9);
        Path model = dir.resolve("tiny.onnx");
        net.write(model, TinyLpipsOnnx.OutputShape.NCHW);
        Random random = new Random(5);
        FloatImage a = TestImages.random(random, W, H, 3, 0, 1);
        FloatImage b = TestImages.random(random, W, H, 3, 0, 1);
        FloatImage region = TestImages.rectangle(W, H, 2, 1, 9, 6);
        try (LpipsMetric metric = metricFor(model)) {
            double value = metric.compute(new MetricSample(a, b, null, null, region));
            double expected = net.distance(toNetwork(a, region), toNetwork(b, region), W, H);
            assertEquals(expected, value, 1e-5 * expected);
            double whole = metric.compute(new MetricSample(a, b, null, null, null));
            assertTrue(value < whole, "a smaller region leaves fewer differing pixels");
            assertTrue(Double.isNaN(metric.compute(new MetricSample(a, b, null, null, FloatImage.zeros(W, H, 1)))));
        }
    }

    @Test
    void acceptsAFlatOneElementOutput() throws IOException {
        TinyLpipsOnnx net = new TinyLpipsOnnx(10);
        Path model = dir.resolve("flat.onnx");
        net.write(model, TinyLpipsOnnx.OutputShape.FLAT);
        Random random = new Random(6);
        FloatImage a = TestImages.random(random, W, H, 3, 0, 1);
        FloatImage b = TestImages.random(random, W, H, 3, 0, 1);
        try (LpipsMetric metric = metricFor(model)) {
            double expected = net.distance(toNetwork(a, null), toNetwork(b, null), W, H);
            assertEquals(expected, metric.compute(new MetricSample(a, b, null, null, null)), 1e-5 * expected);
            // any image size goes through the same model (dynamic H and W)
            FloatImage c = TestImages.random(random, 6, 17, 3, 0, 1);
            FloatImage d = TestImages.random(random, 6, 17, 3, 0, 1);
            double other = net.distance(toNetwork(c, null), toNetwork(d, null), 6, 17);
            assertEquals(other, metric.compute(new MetricSample(c, d, null, null, null)), 1e-5 * other);
        }
    }

    @Test
    void missingModelIsExplainedWithEveryPlaceToPutIt() {
        Path home = dir.resolve("home");
        LpipsMetric metric = new LpipsMetric(new LpipsModelLocator(k -> null, k -> null, home));
        String reason = metric.unavailableReason();
        assertNotNull(reason);
        for (String expected : new String[] {LpipsModelLocator.PROPERTY, LpipsModelLocator.ENVIRONMENT,
                LpipsModelLocator.defaultFile(home).toString(), "export_lpips_onnx.py"}) {
            assertTrue(reason.contains(expected), "message lacks " + expected + ": " + reason);
        }
        FloatImage a = TestImages.random(new Random(1), W, H, 3, 0, 1);
        UserInputException e = assertThrows(UserInputException.class,
                () -> metric.compute(new MetricSample(a, a, null, null, null)));
        assertTrue(e.getMessage().contains(LpipsModelLocator.PROPERTY));
    }

    @Test
    void modelLocationFollowsPropertyThenEnvironmentThenHome() {
        Path home = dir.resolve("home");
        Map<String, String> props = Map.of(LpipsModelLocator.PROPERTY, "/models/p.onnx");
        Map<String, String> env = Map.of(LpipsModelLocator.ENVIRONMENT, "/models/e.onnx");
        assertEquals(Path.of("/models/p.onnx"), new LpipsModelLocator(props::get, env::get, home).locate().file());
        assertEquals(Path.of("/models/e.onnx"), new LpipsModelLocator(k -> null, env::get, home).locate().file());
        assertEquals(LpipsModelLocator.defaultFile(home),
                new LpipsModelLocator(k -> " ", k -> null, home).locate().file());
        assertTrue(LpipsModelLocator.defaultFile(home).endsWith(Path.of(".diff2dgs", "models", "lpips_alex.onnx")));
    }

    @Test
    void corruptOrWrongModelsAreReportedNotThrownAtStartup() throws IOException {
        Path garbage = dir.resolve("garbage.onnx");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        try (LpipsMetric metric = metricFor(garbage)) {
            String reason = metric.unavailableReason();
            assertNotNull(reason);
            assertTrue(reason.contains("garbage.onnx"), reason);
        }
        Path single = dir.resolve("single.onnx");
        TinyLpipsOnnx.writeSingleInput(single);
        try (LpipsMetric metric = metricFor(single)) {
            String reason = metric.unavailableReason();
            assertNotNull(reason);
            assertTrue(reason.contains("two images") && reason.contains("1 inputs"), reason);
        }
    }
}
