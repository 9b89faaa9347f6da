package org.diff2dgs.metrics.tests;

import static org.diff2dgs.metrics.tests.BuiltInProtocols.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.diff2dgs.core.api.EvaluationFrame;
import org.diff2dgs.core.api.Metric;
import org.diff2dgs.core.image.Ssim;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.metrics.api.Evaluation;
import org.diff2dgs.metrics.eval.Evaluator;
import org.diff2dgs.metrics.eval.Regions;
import org.diff2dgs.metrics.internal.DepthRmseMetric;
import org.diff2dgs.metrics.internal.PsnrMetric;
import org.diff2dgs.metrics.internal.SsimMetric;
import org.junit.jupiter.api.Test;

/**
 * Each protocol on a small crafted clip whose values are exact 8-bit colours, so the PNG round trip of the published
 * protocols changes nothing and the expected numbers follow from the definitions.
 */
class ProtocolsTest {

    private static final int W = 16;
    private static final int H = 12;
    /** 6 x 5 instrument pixels out of 192. */
    private static final FloatImage INSTRUMENT = TestImages.rectangle(W, H, 4, 3, 10, 8);
    private static final double TISSUE_FRACTION = (192.0 - 30) / 192;

    private final Evaluator evaluator = new Evaluator(List.of(new PsnrMetric(), new SsimMetric(),
            new DepthRmseMetric()));

    /** The observed frame plus a render that is off by up to 6 grey levels on tissue and wrong on the instrument. */
    private record Clip(EvaluationFrame frame, FloatImage inpainted) {
    }

    private static Clip clip(long seed, boolean synthetic) {
        Random random = new Random(seed);
        FloatImage truth = TestImages.random8Bit(random, W, H, 40, 215);
        FloatImage observed = truth.copy();
        FloatImage rendered = truth.copy();
        FloatImage inpainted = truth.copy();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int level = Math.round(truth.get(c, x, y) * 255);
                    rendered.set(c, x, y, (level + random.nextInt(13) - 6) / 255f);
                    inpainted.set(c, x, y, (level + random.nextInt(5) - 2) / 255f);
                    if (INSTRUMENT.get(0, x, y) > 0) {
                        observed.set(c, x, y, 200 / 255f); // a grey instrument
                    }
                }
            }
        }
        FloatImage depth = TestImages.random(random, W, H, 1, 10.2, 10.5);
        FloatImage renderedDepth = TestImages.offset(depth, 0.3f);
        Frame frame = new Frame(0, 0, "f" + seed, null, observed, depth, INSTRUMENT, synthetic ? truth : null,
                synthetic ? depth : null);
        return new Clip(new EvaluationFrame(rendered, renderedDepth, frame, null), inpainted);
    }

    private static double psnrOver(FloatImage a, FloatImage b, FloatImage region, boolean averageOverAllPixels) {
        double sum = 0;
        int pixels = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                if (region.get(0, x, y) > 0) {
                    pixels++;
                    for (int c = 0; c < 3; c++) {
                        double d = a.get(c, x, y) - b.get(c, x, y);
                        sum += d * d;
                    }
                }
            }
        }
        int n = averageOverAllPixels ? W * H : pixels;
        return 10 * Math.log10(1 / (sum / (3.0 * n)));
    }

    @Test
    void deform3dgsCountsZeroedInstrumentPixelsAndSoBeatsTheMaskedMean() {
        Clip clip = clip(1, false);
        EvaluationFrame f = clip.frame();
        FloatImage tissue = Regions.tissue(f.frame());
        double published = evaluator.evaluate(named("deform3dgs"), List.of(f))
                .result("psnr").orElseThrow().mean();
        double honest = evaluator.evaluate(named("masked-mean"), List.of(f)).result("psnr").orElseThrow().mean();

        assertEquals(psnrOver(f.renderedImage(), f.frame().image(), tissue, false), honest, 1e-4);
        assertEquals(psnrOver(f.renderedImage(), f.frame().image(), tissue, true), published, 1e-4);
        // the MSE shrinks by the tissue fraction when the agreeing zeros are counted
        assertEquals(honest - 10 * Math.log10(TISSUE_FRACTION), published, 1e-4);
        assertTrue(published > honest);
    }

    @Test
    void deform3dgsSsimIsOnMaskedImagesAndMaskedMeanAveragesTheMapOverTissue() {
        EvaluationFrame f = clip(2, false).frame();
        FloatImage tissue = Regions.tissue(f.frame());
        double published = evaluator.evaluate(named("deform3dgs"), List.of(f)).result("ssim").orElseThrow().mean();
        double expectedPublished = Ssim.mean(Regions.masked(f.renderedImage(), tissue),
                Regions.masked(f.frame().image(), tissue));
        assertEquals(expectedPublished, published, 1e-6);

        float[] map = Ssim.map(f.renderedImage(), f.frame().image());
        double sum = 0;
        int n = 0;
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < W * H; p++) {
                if (tissue.data()[p] > 0) {
                    sum += map[c * W * H + p];
                    n++;
                }
            }
        }
        double honest = evaluator.evaluate(named("masked-mean"), List.of(f)).result("ssim").orElseThrow().mean();
        assertEquals(sum / n, honest, 1e-6);
    }

    @Test
    void diff2dgsCodeComparesWithTheInpaintedFrameAndQuantizedDepth() {
        Clip clip = clip(3, false);
        EvaluationFrame without = clip.frame();
        Evaluation skipped = evaluator.evaluate(named("diff2dgs-code"), List.of(without));
        assertTrue(skipped.skip("psnr").orElseThrow().reason().contains("inpainted"));
        assertTrue(skipped.skip("ssim").isPresent());
        // depth needs no inpainted frame: the 0.3 offset vanishes when 10.2..10.8 are all cast to 10
        assertEquals(0.0, skipped.result("depth-rmse").orElseThrow().mean(), 0.0);

        EvaluationFrame with = new EvaluationFrame(without.renderedImage(), without.renderedDepth(), without.frame(),
                clip.inpainted());
        Evaluation e = evaluator.evaluate(named("diff2dgs-code"), List.of(with));
        FloatImage tissue = Regions.tissue(with.frame());
        assertEquals(psnrOver(with.renderedImage(), clip.inpainted(), tissue, true),
                e.result("psnr").orElseThrow().mean(), 1e-4);
        assertEquals(0.3,
                evaluator.evaluate(named("deform3dgs"), List.of(with)).result("depth-rmse").orElseThrow().mean(),
                1e-5);
    }

    @Test
    void occludedMeasuresTheHiddenTissueAgainstGroundTruth() {
        Clip synthetic = clip(4, true);
        EvaluationFrame f = synthetic.frame();
        // a second frame without instruments: nothing hidden, so no value, and it must not enter the mean
        Frame open = new Frame(1, 0.5, "open", null, f.frame().truthImage(), f.frame().depth(), null,
                f.frame().truthImage(), f.frame().truthDepth());
        EvaluationFrame g = new EvaluationFrame(f.renderedImage(), f.renderedDepth(), open);
        Evaluation e = evaluator.evaluate(named("occluded"), List.of(f, g));
        double expected = psnrOver(f.renderedImage(), f.frame().truthImage(), INSTRUMENT, false);
        var psnr = e.result("psnr").orElseThrow();
        assertEquals(expected, psnr.mean(), 1e-4);
        assertEquals(1, psnr.count());
        assertTrue(Double.isNaN(psnr.perFrame().get(1)));
        assertEquals(0.3, e.result("depth-rmse").orElseThrow().mean(), 1e-5);

        Evaluation real = evaluator.evaluate(named("occluded"), List.of(clip(5, false).frame()));
        assertTrue(real.results().isEmpty());
        for (Metric m : List.<Metric>of(new PsnrMetric(), new SsimMetric(), new DepthRmseMetric())) {
            assertTrue(real.skip(m.name()).orElseThrow().reason().contains("ground-truth"), m.name());
        }
    }

    @Test
    void visibleTruthMeasuresTheTissuePixelsAgainstGroundTruthNotTheShadowedObservation() {
        Clip synthetic = clip(7, true);
        EvaluationFrame f = synthetic.frame();
        // a shadow beside the instrument darkens the observed tissue only; the truth and the render do not have it
        FloatImage shadowed = f.frame().image().copy();
        for (int c = 0; c < 3; c++) {
            for (int y = 3; y < 8; y++) {
                for (int x = 10; x < 13; x++) {
                    shadowed.set(c, x, y, shadowed.get(c, x, y) * 0.6f);
                }
            }
        }
        Frame frame = new Frame(0, 0, "shadow", null, shadowed, f.frame().depth(), INSTRUMENT,
                f.frame().truthImage(), f.frame().truthDepth());
        EvaluationFrame g = new EvaluationFrame(f.renderedImage(), f.renderedDepth(), frame, null);
        FloatImage tissue = Regions.tissue(frame);
        double truth = psnrOver(f.renderedImage(), f.frame().truthImage(), tissue, false);
        double observed = psnrOver(f.renderedImage(), shadowed, tissue, false);
        assertEquals(truth, evaluator.evaluate(named("visible-truth"), List.of(g)).result("psnr").orElseThrow()
                .mean(), 1e-4);
        assertEquals(observed, evaluator.evaluate(named("masked-mean"), List.of(g)).result("psnr").orElseThrow()
                .mean(), 1e-4);
        assertTrue(truth > observed + 3, truth + " vs " + observed);
        assertEquals(0.3, evaluator.evaluate(named("visible-truth"), List.of(g)).result("depth-rmse").orElseThrow()
                .mean(), 1e-5);

        Evaluation real = evaluator.evaluate(named("visible-truth"), List.of(clip(8, false).frame()));
        assertTrue(real.results().isEmpty());
        for (Metric m : List.<Metric>of(new PsnrMetric(), new SsimMetric(), new DepthRmseMetric())) {
            assertTrue(real.skip(m.name()).orElseThrow().reason().contains("ground-truth"), m.name());
        }
    }

    @Test
    void everyProtocolIsRecordedWithItsResults() {
        List<EvaluationFrame> frames = List.of(clip(6, true).frame());
        for (Evaluation e : evaluator.evaluateAll(BuiltInProtocols.ALL, frames)) {
            assertTrue(!e.protocolDescription().isBlank());
            for (var r : e.results()) {
                assertEquals(e.protocol(), r.protocol());
            }
            for (var s : e.skipped()) {
                assertEquals(e.protocol(), s.protocol());
            }
            assertEquals(List.of("f6"), e.frames());
        }
    }
}
