package org.diff2dgs.metrics.tests;

import static org.diff2dgs.metrics.tests.BuiltInProtocols.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.diff2dgs.core.api.EvaluationFrame;
import org.diff2dgs.core.api.Metric;
import org.diff2dgs.core.api.MetricFailedException;
import org.diff2dgs.core.api.MetricSample;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.metrics.api.Evaluation;
import org.diff2dgs.metrics.api.MetricResult;
import org.diff2dgs.metrics.eval.Evaluator;
import org.diff2dgs.metrics.internal.DepthRmseMetric;
import org.diff2dgs.metrics.internal.LpipsMetric;
import org.diff2dgs.metrics.internal.LpipsModelLocator;
import org.diff2dgs.metrics.internal.PsnrMetric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorTest {

    @TempDir
    Path home;

    private static EvaluationFrame offsetFrame(String name, FloatImage image, float delta) {
        Frame frame = new Frame(0, 0, name, null, image, null, null, null, null);
        return new EvaluationFrame(TestImages.offset(image, delta), null, frame);
    }

    @Test
    void perFrameValuesMeanAndPopulationStd() {
        FloatImage image = TestImages.random(new Random(1), 10, 8, 3, 0.2, 0.8);
        List<EvaluationFrame> frames = List.of(offsetFrame("a", image, 0.1f), offsetFrame("b", image, 0.05f),
                offsetFrame("c", image, 0.01f));
        MetricResult r = new Evaluator(List.of(new PsnrMetric())).evaluate(named("masked-mean"), frames).result("psnr")
                .orElseThrow();
        double[] expected = {20, -20 * Math.log10(0.05), 40};
        double mean = (expected[0] + expected[1] + expected[2]) / 3;
        double var = 0;
        for (int i = 0; i < 3; i++) {
            assertEquals(expected[i], r.perFrame().get(i), 1e-3);
            var += (expected[i] - mean) * (expected[i] - mean) / 3;
        }
        assertEquals(mean, r.mean(), 1e-3);
        assertEquals(Math.sqrt(var), r.std(), 1e-3);
        assertEquals(3, r.count());
        assertEquals("masked-mean", r.protocol());
        assertTrue(r.higherIsBetter());
    }

    @Test
    void exactReproductionGivesInfinitePsnrAndUndefinedStd() {
        FloatImage image = TestImages.random(new Random(2), 10, 8, 3, 0, 1);
        MetricResult r = new Evaluator(List.of(new PsnrMetric()))
                .evaluate(named("masked-mean"), List.of(offsetFrame("a", image, 0f), offsetFrame("b", image, 0.1f)))
                .result("psnr").orElseThrow();
        assertEquals(Double.POSITIVE_INFINITY, r.mean());
        assertTrue(Double.isNaN(r.std()));
    }

    /** A metric that throws on its second frame only: the failure must not hide behind the first frame's value. */
    private static Metric brokenOnSecondFrame(AtomicInteger calls) {
        return new Metric() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public String description() {
                return "throws on one frame";
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
                if (calls.incrementAndGet() == 2) {
                    throw new IllegalStateException("cannot measure this");
                }
                return 1;
            }
        };
    }

    @Test
    void unavailableMissingDataAndDuplicateMetricsAreSkippedWithReasons() {
        LpipsMetric lpips = new LpipsMetric(new LpipsModelLocator(k -> null, k -> null, home));
        Evaluator evaluator = new Evaluator(List.of(new PsnrMetric(), lpips, new DepthRmseMetric(),
                new PsnrMetric()));
        FloatImage image = TestImages.random(new Random(3), 10, 8, 3, 0, 1);
        Evaluation e = evaluator.evaluate(named("deform3dgs"), List.of(offsetFrame("x", image, 0.02f)));

        assertEquals(List.of("psnr"), e.results().stream().map(MetricResult::metric).toList());
        assertTrue(e.skip("lpips").orElseThrow().reason().contains(LpipsModelLocator.PROPERTY));
        assertTrue(e.skip("depth-rmse").orElseThrow().reason().contains("rendered depth"));
        assertTrue(e.skip("psnr").orElseThrow().reason().contains("came first"));
        assertEquals(3, e.skipped().size());
    }

    @Test
    void aMetricThatThrowsFailsTheEvaluationNamingItTheFrameAndTheProtocol() {
        FloatImage image = TestImages.random(new Random(6), 10, 8, 3, 0, 1);
        List<EvaluationFrame> frames = List.of(offsetFrame("frame-a", image, 0.02f),
                offsetFrame("frame-b", image, 0.03f), offsetFrame("frame-c", image, 0.04f));
        AtomicInteger calls = new AtomicInteger();
        Evaluator evaluator = new Evaluator(List.of(new PsnrMetric(), brokenOnSecondFrame(calls)));

        MetricFailedException e = assertThrows(MetricFailedException.class,
                () -> evaluator.evaluate(named("masked-mean"), frames));
        assertEquals("broken", e.metric());
        assertEquals("frame-b", e.frame());
        assertEquals("masked-mean", e.protocol());
        assertTrue(e.getMessage().contains("broken") && e.getMessage().contains("frame-b")
                && e.getMessage().contains("cannot measure this"), e.getMessage());
        assertTrue(e.getCause() instanceof IllegalStateException);
        assertEquals(2, calls.get(), "the evaluation stops at the failure");
    }

    @Test
    void wrongSizesAndNoFramesAreUserErrors() {
        FloatImage image = TestImages.random(new Random(4), 10, 8, 3, 0, 1);
        Frame frame = new Frame(0, 0, "frame-007", null, image, null, null, null, null);
        EvaluationFrame wrong = new EvaluationFrame(TestImages.random(new Random(5), 8, 10, 3, 0, 1), null, frame);
        Evaluator evaluator = new Evaluator(List.of(new PsnrMetric()));
        UserInputException e = assertThrows(UserInputException.class,
                () -> evaluator.evaluate(named("masked-mean"), List.of(wrong)));
        assertTrue(e.getMessage().contains("frame-007") && e.getMessage().contains("8x10"), e.getMessage());
        assertThrows(UserInputException.class,
                () -> evaluator.evaluate(named("masked-mean"), List.of()));
    }
}
