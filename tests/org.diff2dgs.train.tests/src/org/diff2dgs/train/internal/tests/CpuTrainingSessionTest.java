package org.diff2dgs.train.internal.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.api.RenderSettings;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.SurfelBatch;
import org.diff2dgs.core.api.SurfelGradients;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.train.api.DensifyResult;
import org.diff2dgs.train.api.IterationPlan;
import org.diff2dgs.train.api.IterationResult;
import org.diff2dgs.train.api.SessionSpec;
import org.diff2dgs.train.api.SessionState;
import org.diff2dgs.train.api.TrainOptions;
import org.diff2dgs.train.api.TrainingSession;
import org.diff2dgs.train.internal.CpuTrainingBackend;
import org.diff2dgs.train.internal.Densifier;
import org.diff2dgs.train.internal.PointCloudInitializer;
import org.diff2dgs.train.internal.SurfelParameters;
import org.diff2dgs.train.loss.DepthDistortionLoss;
import org.diff2dgs.train.loss.InverseDepthLoss;
import org.diff2dgs.train.loss.NormalConsistencyLoss;
import org.diff2dgs.train.loss.PhotometricLoss;
import org.diff2dgs.train.loss.RenderedDepth;
import org.diff2dgs.train.optim.Adam;
import org.diff2dgs.train.sh.SphericalHarmonics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU training session is exactly the training pieces composed in the documented order (deform, activations, SH,
 * rasterize, losses, backward, chain, rates, Adam, statistics; density control and opacity reset on request), so a
 * refactoring of the session cannot drift unnoticed; and a session opened from another's {@code state()} continues
 * bit for bit, so the state holds every tensor a checkpoint needs. The GPU session is checked against this one.
 */
class CpuTrainingSessionTest {

    /** Scene radius for density control: this tiny clip's surfels are large, so some clone, some split, some survive. */
    static final double EXTENT = 100;

    static Sequence clip;
    static ServiceCatalog catalog;
    static DeformationModel deformation;

    @BeforeAll
    static void scene(@TempDir Path dir) {
        // the services come from DS: inside OSGi (./mvnw verify), not in quick-test's plain class path
        assumeTrue(Osgi.context() != null, "needs the OSGi services");
        catalog = Osgi.service(ServiceCatalog.class);
        deformation = Osgi.named(() -> catalog.deformationModel("gaussian-basis"), "deformation gaussian-basis");
        Osgi.named(() -> catalog.computeBackend("cpu"), "compute backend cpu");
        clip = Osgi.tinyClip(dir.resolve("clip"), 23, 6, 48, 40);
    }

    /** Every loss term on, so every gradient path is exercised. */
    static TrainOptions options() {
        return TrainOptions.published().with(Map.of("lambdaDssim", 0.2, "normalWeight", 0.05, "distortionWeight",
                10.0, "maxSurfels", 4000, "densifyGradThreshold", 2e-5, "percentDense", 0.1, "seed", 17));
    }

    static SessionSpec spec(TrainOptions o, SessionState start) {
        FloatImage[] masks = new FloatImage[clip.size()];
        for (int i = 0; i < clip.size(); i++) {
            masks[i] = tissueMask(clip.frame(i));
        }
        return new SessionSpec(clip, clip.split().train(), masks, o, start, deformation, EXTENT);
    }

    static SessionState fresh(TrainOptions o) {
        GaussianModel initial = PointCloudInitializer.initialize(clip, clip.split().train(), o, o.seed());
        DeformationField field = deformation.create(initial, o.seed());
        Map<String, float[]> def = new LinkedHashMap<>();
        for (Parameter p : field.parameters()) {
            def.put(p.name(), p.value());
        }
        return new SessionState(initial, def, Map.of(), Map.of());
    }

    /** A plan per iteration with frames, SH degree, rates and the step flag varying (fixed seed). */
    static IterationPlan plan(int iteration, TrainOptions o, List<double[]> depthCalls) {
        SplittableRandom r = new SplittableRandom(1000 + iteration);
        int[] train = clip.split().train();
        IterationPlan.DepthWeighting weighting = (l1, depthLoss) -> {
            depthCalls.add(new double[] {l1, depthLoss});
            // a weight that depends on both scalars, like the adaptive rule
            return 1 + 4 * l1 / (l1 + 10 * depthLoss + 1e-9);
        };
        return new IterationPlan(iteration, train[r.nextInt(train.length)], Math.min(3, iteration / 3),
                1e-3 * (1 + r.nextDouble()), 2e-3 * (1 + r.nextDouble()), iteration > 2, iteration > 4, weighting,
                iteration % 5 != 0, true);
    }

    @Test
    void anIterationIsThePiecesComposedInOrder() {
        TrainOptions o = options();
        List<double[]> sessionCalls = new ArrayList<>();
        List<double[]> referenceCalls = new ArrayList<>();
        ComputeBackend cpu = catalog.computeBackend("cpu").orElseThrow();
        try (TrainingSession session = new CpuTrainingBackend(catalog).open(spec(o, fresh(o)));
                Reference reference = new Reference(o, fresh(o), cpu.createRasterizer())) {
            assertEquals(cpu.device(), session.device());
            int[] done = new int[3];
            for (int it = 1; it <= 14; it++) {
                IterationResult a = session.iterate(plan(it, o, sessionCalls));
                IterationResult b = reference.iterate(plan(it, o, referenceCalls));
                assertEquals(b, a, "iteration " + it);
                assertTrue(Double.isFinite(a.loss()) && a.loss() > 0 && a.psnr() > 0, "iteration " + it + ": " + a);
                if (it == 7 || it == 12) {
                    DensifyResult d = session.densifyAndPrune(it == 12, 99 + it);
                    Densifier.Result e = reference.densify(it == 12, 99 + it);
                    assertEquals(new DensifyResult(e.surfels().count(), e.cloned(), e.split(), e.pruned()), d);
                    done[0] += d.cloned();
                    done[1] += d.split();
                    done[2] += d.pruned();
                }
                if (it == 10) {
                    session.resetOpacity();
                    reference.resetOpacity();
                }
                assertEquals(reference.surfels.count(), session.surfelCount());
            }
            assertTrue(done[0] > 0 && done[1] > 0 && done[2] > 0,
                    "density control must clone, split and prune for the test to cover it: " + Arrays.toString(done));
            assertEquals(14, sessionCalls.size(), "the depth weight is asked once per iteration");
            for (int i = 0; i < sessionCalls.size(); i++) {
                assertArrayEquals(referenceCalls.get(i), sessionCalls.get(i));
                assertTrue(sessionCalls.get(i)[1] > 0, "depth loss of iteration " + (i + 1));
            }
            assertStatesEqual(reference.state(), session.state());
            Map<String, Double> stages = session.stageSeconds();
            assertEquals(List.of("deform", "render", "loss", "backward", "step", "densify"),
                    List.copyOf(stages.keySet()));
            assertTrue(stages.values().stream().allMatch(s -> s > 0), stages.toString());
        }
    }

    @Test
    void aSessionOpenedFromAnothersStateContinuesIdentically() {
        TrainOptions o = options();
        List<double[]> calls = new ArrayList<>();
        CpuTrainingBackend backend = new CpuTrainingBackend(catalog);
        try (TrainingSession first = backend.open(spec(o, fresh(o)))) {
            for (int it = 1; it <= 6; it++) {
                first.iterate(plan(it, o, calls));
            }
            try (TrainingSession second = backend.open(spec(o, copy(first.state())))) {
                for (int it = 7; it <= 11; it++) {
                    assertEquals(first.iterate(plan(it, o, calls)), second.iterate(plan(it, o, calls)));
                    if (it == 8) {
                        assertEquals(first.densifyAndPrune(false, 5), second.densifyAndPrune(false, 5));
                    }
                }
                assertStatesEqual(first.state(), second.state());
                RenderOutput a = first.render(clip.frame(1).camera(), clip.frame(1).time(), 2);
                RenderOutput b = second.render(clip.frame(1).camera(), clip.frame(1).time(), 2);
                assertArrayEquals(a.color(), b.color());
                assertTrue(Arrays.stream(toDouble(a.color())).max().orElse(0) > 0.05, "render is not black");
            }
        }
    }

    static void assertStatesEqual(SessionState expected, SessionState actual) {
        GaussianModel e = expected.model();
        GaussianModel a = actual.model();
        assertEquals(e.count(), a.count());
        assertArrayEquals(e.positions(), a.positions(), "positions");
        assertArrayEquals(e.rotations(), a.rotations(), "rotations");
        assertArrayEquals(e.logScales(), a.logScales(), "logScales");
        assertArrayEquals(e.opacityLogits(), a.opacityLogits(), "opacityLogits");
        assertArrayEquals(e.sh(), a.sh(), "sh");
        assertMapsEqual(expected.deformation(), actual.deformation(), "deformation");
        assertMapsEqual(expected.optimizer(), actual.optimizer(), "optimizer");
        assertMapsEqual(expected.statistics(), actual.statistics(), "statistics");
    }

    static void assertMapsEqual(Map<String, float[]> e, Map<String, float[]> a, String what) {
        assertEquals(e.keySet(), a.keySet(), what);
        for (String k : e.keySet()) {
            assertArrayEquals(e.get(k), a.get(k), what + "/" + k);
        }
    }

    static SessionState copy(SessionState s) {
        GaussianModel m = s.model();
        return new SessionState(new GaussianModel(m.count(), m.shDegree(), m.positions().clone(),
                m.rotations().clone(), m.logScales().clone(), m.opacityLogits().clone(), m.sh().clone()),
                copy(s.deformation()), copy(s.optimizer()), copy(s.statistics()));
    }

    static Map<String, float[]> copy(Map<String, float[]> m) {
        Map<String, float[]> c = new LinkedHashMap<>();
        m.forEach((k, v) -> c.put(k, v.clone()));
        return c;
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    static FloatImage tissueMask(Frame f) {
        FloatImage m = f.instrumentMask();
        if (m == null) {
            return null;
        }
        float[] t = new float[m.data().length];
        for (int i = 0; i < t.length; i++) {
            t[i] = m.data()[i] > 0.5f ? 0f : 1f;
        }
        return new FloatImage(m.width(), m.height(), 1, t);
    }

    /** One training iteration written out from the pieces, fresh buffers every time. */
    static final class Reference implements AutoCloseable {
        final TrainOptions o;
        final Rasterizer rasterizer;
        final FloatImage[] masks;
        SurfelParameters surfels;
        DeformationField field;
        Adam adam;
        Densifier.Statistics stats;

        Reference(TrainOptions o, SessionState start, Rasterizer rasterizer) {
            this.o = o;
            this.rasterizer = rasterizer;
            this.masks = spec(o, start).lossMasks();
            surfels = new SurfelParameters(start.model());
            field = deformation.restore(start.model().count(), start.deformation());
            stats = new Densifier.Statistics(start.model().count());
            adam = new Adam(o.adamBeta1(), o.adamBeta2(), o.adamEps());
            List<Parameter> p = surfels.all();
            double[] rates = {o.positionLrInit() * o.spatialScale(), o.rotationLr(), o.scalingLr(), o.opacityLr(),
                    o.shLr()};
            for (int i = 0; i < p.size(); i++) {
                adam.add(p.get(i), rates[i]);
            }
            float[] shScale = new float[3 * start.model().shCoefficients()];
            Arrays.fill(shScale, (float) o.shRestLrFactor());
            Arrays.fill(shScale, 0, 3, 1f);
            adam.setColumnScale("sh", shScale);
            for (Parameter q : field.parameters()) {
                adam.add(q, o.deformationLrInit() * o.spatialScale() * (q.perSurfel() ? 1 : o.sharedWeightLrFactor()));
            }
        }

        IterationResult iterate(IterationPlan plan) {
            Frame f = clip.frame(plan.frame());
            FloatImage mask = masks[f.index()];
            GaussianModel m = surfels.model();
            int n = m.count();
            float[] pos = new float[3 * n];
            float[] rot = new float[4 * n];
            float[] logScale = new float[2 * n];
            field.deform(f.time(), m, pos, rot, logScale);
            float[] scale = new float[2 * n];
            for (int i = 0; i < 2 * n; i++) {
                scale[i] = (float) Math.exp(logScale[i]);
            }
            float[] opacity = new float[n];
            for (int i = 0; i < n; i++) {
                opacity[i] = SurfelParameters.sigmoid(m.opacityLogits()[i]);
            }
            double[] centre = f.camera().pose().centre();
            float[] colour = new float[3 * n];
            SphericalHarmonics.evaluate(m, plan.activeSh(), pos, centre, colour);
            RenderOutput r = rasterizer.forward(new SurfelBatch(n, pos, rot, scale, opacity, colour), f.camera(),
                    new RenderSettings(new float[3], o.near(), o.far()));

            int pixels = clip.width() * clip.height();
            float[] dColor = new float[3 * pixels];
            float[] dOthers = new float[RenderOutput.AUX_CHANNELS * pixels];
            PhotometricLoss.Value photo = new PhotometricLoss(o.lambdaDssim()).addGradient(r, f.image(), mask, 1.0,
                    dColor);
            double loss = photo.total();
            InverseDepthLoss depth = new InverseDepthLoss();
            double depthLoss = depth.value(r, f.depth(), mask);
            double depthWeight = plan.depthWeight().weight(photo.l1(), depthLoss);
            depth.addGradient(r, f.depth(), mask, depthWeight, dOthers);
            loss += depthWeight * depthLoss;
            if (plan.normalTerm()) {
                loss += o.normalWeight() * new NormalConsistencyLoss(clip.frame(0).camera().intrinsics(),
                        RenderedDepth.EXPECTED).addGradient(r, mask, o.normalWeight(), dOthers);
            }
            if (plan.distortionTerm()) {
                loss += o.distortionWeight() * new DepthDistortionLoss().addGradient(r, mask, o.distortionWeight(),
                        dOthers);
            }
            double psnr = psnr(r.color(), f.image(), mask);

            SurfelGradients g = rasterizer.backward(r, dColor, dOthers);
            List<Parameter> p = surfels.all();
            float[] dPos = g.positions();
            SphericalHarmonics.backward(m, plan.activeSh(), pos, centre, g.colors(), p.get(4).grad(), dPos);
            float[] dLogScale = g.scales();
            for (int i = 0; i < 2 * n; i++) {
                dLogScale[i] *= scale[i];
            }
            for (int i = 0; i < n; i++) {
                p.get(3).grad()[i] += g.opacities()[i] * opacity[i] * (1 - opacity[i]);
            }
            field.backward(f.time(), m, dPos, g.rotations(), dLogScale);
            add(p.get(0).grad(), dPos);
            add(p.get(1).grad(), g.rotations());
            add(p.get(2).grad(), dLogScale);

            adam.setLearningRate("positions", plan.positionLr());
            for (Parameter q : field.parameters()) {
                adam.setLearningRate(q.name(), plan.deformationLr() * (q.perSurfel() ? 1 : o.sharedWeightLrFactor()));
            }
            if (plan.step()) {
                adam.step();
            }
            adam.zeroGrad();
            if (plan.accumulateStatistics()) {
                stats.add(g.screenGradient(), r.radii(), n);
            }
            return new IterationResult(loss, photo.l1(), photo.ssim(), depthLoss, depthWeight, psnr);
        }

        Densifier.Result densify(boolean pruneLarge, long seed) {
            Densifier.Result r = Densifier.densifyAndPrune(surfels, field, adam, stats, o.densifyGradThreshold(),
                    o.pruneOpacity(), o.percentDense(), EXTENT, pruneLarge, o.maxSurfels(), seed);
            surfels = r.surfels();
            field = r.field();
            return r;
        }

        void resetOpacity() {
            Densifier.resetOpacity(surfels, adam);
        }

        SessionState state() {
            Map<String, float[]> def = new LinkedHashMap<>();
            for (Parameter q : field.parameters()) {
                def.put(q.name(), q.value());
            }
            Map<String, float[]> st = new LinkedHashMap<>();
            st.put(SessionState.GRADIENT_SUM, stats.gradientSum);
            st.put(SessionState.VISIBLE_COUNT, toFloat(stats.visibleCount));
            st.put(SessionState.MAX_RADIUS, toFloat(stats.maxRadius));
            return new SessionState(surfels.model(), def, adam.state(), st);
        }

        @Override
        public void close() {
            rasterizer.close();
        }

        static double psnr(float[] rendered, FloatImage target, FloatImage mask) {
            int plane = target.pixels();
            double se = 0;
            long count = 0;
            for (int i = 0; i < plane; i++) {
                if (mask == null || mask.data()[i] >= 0.5f) {
                    for (int c = 0; c < 3; c++) {
                        double e = Math.min(1f, Math.max(0f, rendered[c * plane + i])) - target.data()[c * plane + i];
                        se += e * e;
                    }
                    count += 3;
                }
            }
            return -10 * Math.log10(se / count);
        }

        static void add(float[] into, float[] values) {
            for (int i = 0; i < into.length; i++) {
                into[i] += values[i];
            }
        }

        static float[] toFloat(int[] v) {
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                f[i] = v[i];
            }
            return f;
        }
    }
}
