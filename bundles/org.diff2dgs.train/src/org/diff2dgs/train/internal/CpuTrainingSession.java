package org.diff2dgs.train.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.api.RenderSettings;
import org.diff2dgs.core.api.SurfelGradients;
import org.diff2dgs.core.model.Camera;
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
import org.diff2dgs.train.loss.DepthDistortionLoss;
import org.diff2dgs.train.loss.InverseDepthLoss;
import org.diff2dgs.train.loss.NormalConsistencyLoss;
import org.diff2dgs.train.loss.PhotometricLoss;
import org.diff2dgs.train.loss.RenderedDepth;
import org.diff2dgs.train.optim.Adam;
import org.diff2dgs.train.sh.SphericalHarmonics;

/**
 * A training session on Java arrays: deform, activations and SH ({@link SceneRenderer}), the rasterizer of the CPU
 * compute backend, the losses, the chain rule to every learnable tensor, {@link Adam} and {@link Densifier}. Every
 * GPU kernel has its Java twin here (docs/architecture.md, "Training sessions and the GPU path").
 */
final class CpuTrainingSession implements TrainingSession {

    static final String[] STAGES = {"deform", "render", "loss", "backward", "step", "densify"};

    private final TrainOptions o;
    // not the spec: its start state would keep the initial (or loaded) tensors alive for the whole run
    private final Sequence sequence;
    private final FloatImage[] lossMasks;
    private final double extent;
    private final Rasterizer rasterizer;
    private final String device;
    private final RenderSettings settings;
    private final SceneRenderer renderer = new SceneRenderer();
    private final PhotometricLoss photometric;
    private final InverseDepthLoss inverseDepth = new InverseDepthLoss();
    private final DepthDistortionLoss distortion = new DepthDistortionLoss();
    private final NormalConsistencyLoss normals;
    private final float[] dColor;
    private final float[] dOthers;
    private final long[] stageNanos = new long[STAGES.length];

    private SurfelParameters surfels;
    private DeformationField field;
    private Adam adam;
    private Densifier.Statistics stats;
    private boolean closed;

    /**
     * @throws IllegalArgumentException when the start state's tensors do not fit together (sizes of the optimizer
     *                                  state or the statistics)
     */
    CpuTrainingSession(SessionSpec spec, Rasterizer rasterizer, String device) {
        this.o = spec.options();
        this.sequence = spec.sequence();
        this.lossMasks = spec.lossMasks();
        this.extent = spec.extent();
        this.rasterizer = rasterizer;
        this.device = device;
        settings = new RenderSettings(new float[3], o.near(), o.far());
        photometric = new PhotometricLoss(o.lambdaDssim());
        normals = new NormalConsistencyLoss(spec.sequence().frame(0).camera().intrinsics(), RenderedDepth.EXPECTED);
        int pixels = spec.sequence().width() * spec.sequence().height();
        dColor = new float[3 * pixels];
        dOthers = new float[RenderOutput.AUX_CHANNELS * pixels];
        SessionState start = spec.start();
        int n = start.model().count();
        surfels = new SurfelParameters(start.model());
        field = spec.deformationModel().restore(n, start.deformation());
        stats = new Densifier.Statistics(n);
        if (!start.statistics().isEmpty()) {
            stats.gradientSum = statistic(start, SessionState.GRADIENT_SUM, n);
            stats.visibleCount = toInt(statistic(start, SessionState.VISIBLE_COUNT, n));
            stats.maxRadius = toInt(statistic(start, SessionState.MAX_RADIUS, n));
        }
        registerOptimizer();
        if (!start.fresh()) {
            adam.restore(start.optimizer());
        }
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public int surfelCount() {
        return surfels.count();
    }

    @Override
    public IterationResult iterate(IterationPlan plan) {
        Frame frame = sequence.frame(plan.frame());
        FloatImage mask = lossMasks[frame.index()];
        GaussianModel model = surfels.model();
        int n = model.count();

        long s0 = System.nanoTime();
        renderer.prepare(model, field, plan.activeSh(), frame.camera(), frame.time());
        long s1 = System.nanoTime();
        RenderOutput render = rasterizer.forward(renderer.batch, frame.camera(), settings);
        long s2 = System.nanoTime();

        Arrays.fill(dColor, 0f);
        Arrays.fill(dOthers, 0f);
        PhotometricLoss.Value photo = photometric.addGradient(render, frame.image(), mask, 1.0, dColor);
        double loss = photo.total();
        double depthLoss = 0;
        double depthWeight = 0;
        boolean depthTerm = frame.depth() != null && plan.depthWeight() != null;
        if (depthTerm) {
            depthLoss = inverseDepth.value(render, frame.depth(), mask);
            depthWeight = plan.depthWeight().weight(photo.l1(), depthLoss);
            loss += depthWeight * depthLoss;
        }
        if (plan.normalTerm()) {
            loss += o.normalWeight() * normals.addGradient(render, mask, o.normalWeight(), dOthers);
        }
        if (plan.distortionTerm()) {
            loss += o.distortionWeight() * distortion.addGradient(render, mask, o.distortionWeight(), dOthers);
        }
        if (depthTerm) {
            // added last, as the GPU session must (its weight needs this iteration's scalars on the host first), so
            // both add the float gradients of the shared depth planes in the same order
            inverseDepth.addGradient(render, frame.depth(), mask, depthWeight, dOthers);
        }
        double psnr = maskedPsnr(render.color(), frame.image(), mask);
        long s3 = System.nanoTime();

        SurfelGradients g = rasterizer.backward(render, dColor, dOthers);
        chainToParameters(model, plan.activeSh(), g, frame.time());
        long s4 = System.nanoTime();

        adam.setLearningRate(SurfelParameters.POSITIONS, plan.positionLr());
        for (Parameter p : field.parameters()) {
            adam.setLearningRate(p.name(), OptimizerGroups.deformationRate(p, plan.deformationLr(), o));
        }
        if (plan.step()) {
            adam.stepAndZeroGrad();
        } else {
            adam.zeroGrad();
        }
        long s5 = System.nanoTime();

        if (plan.accumulateStatistics()) {
            stats.add(g.screenGradient(), render.radii(), n);
        }
        long s6 = System.nanoTime();
        accumulate(s0, s1, s2, s3, s4, s5, s6);
        return new IterationResult(loss, photo.l1(), photo.ssim(), depthLoss, depthWeight, psnr);
    }

    @Override
    public DensifyResult densifyAndPrune(boolean pruneLarge, long seed) {
        long s = System.nanoTime();
        Densifier.Result r = Densifier.densifyAndPrune(surfels, field, adam, stats, o.densifyGradThreshold(),
                o.pruneOpacity(), o.percentDense(), extent, pruneLarge, o.maxSurfels(), seed);
        stageNanos[STAGES.length - 1] += System.nanoTime() - s;
        if (r.prunedAll()) {
            // the contract: report zero surfels and keep the session as it was
            return new DensifyResult(0, r.cloned(), r.split(), r.pruned());
        }
        surfels = r.surfels();
        field = r.field();
        return new DensifyResult(surfels.count(), r.cloned(), r.split(), r.pruned());
    }

    @Override
    public void resetOpacity() {
        long s = System.nanoTime();
        Densifier.resetOpacity(surfels, adam);
        stageNanos[STAGES.length - 1] += System.nanoTime() - s;
    }

    @Override
    public SessionState state() {
        Map<String, float[]> deformation = new LinkedHashMap<>();
        for (Parameter p : field.parameters()) {
            deformation.put(p.name(), p.value());
        }
        Map<String, float[]> statistics = new LinkedHashMap<>();
        statistics.put(SessionState.GRADIENT_SUM, stats.gradientSum);
        statistics.put(SessionState.VISIBLE_COUNT, toFloat(stats.visibleCount));
        statistics.put(SessionState.MAX_RADIUS, toFloat(stats.maxRadius));
        return new SessionState(surfels.model(), deformation, adam.stateView(), statistics);
    }

    @Override
    public RenderOutput render(Camera camera, double time, int activeSh) {
        return renderer.render(surfels.model(), field, activeSh, camera, time, rasterizer, settings);
    }

    @Override
    public Map<String, Double> stageSeconds() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (int i = 0; i < STAGES.length; i++) {
            seconds.put(STAGES[i], stageNanos[i] / 1e9);
        }
        return seconds;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            rasterizer.close();
        }
    }

    /** PSNR over the pixels that count (all when mask is null), colour in [0,1]. */
    static double maskedPsnr(float[] rendered, FloatImage target, FloatImage mask) {
        int plane = target.pixels();
        double se = 0;
        long count = 0;
        float[] t = target.data();
        for (int i = 0; i < plane; i++) {
            if (mask != null && mask.data()[i] < 0.5f) {
                continue;
            }
            for (int c = 0; c < 3; c++) {
                double e = Math.min(1f, Math.max(0f, rendered[c * plane + i])) - t[c * plane + i];
                se += e * e;
            }
            count += 3;
        }
        double mse = se / Math.max(1, count);
        return mse <= 0 ? 100 : -10 * Math.log10(mse);
    }

    private void registerOptimizer() {
        adam = new Adam(o.adamBeta1(), o.adamBeta2(), o.adamEps());
        for (Parameter p : surfels.all()) {
            adam.add(p, OptimizerGroups.initialRate(p.name(), o));
        }
        adam.setColumnScale(SurfelParameters.SH,
                OptimizerGroups.shColumnScale(surfels.model().shCoefficients(), o.shRestLrFactor()));
        for (Parameter p : field.parameters()) {
            adam.add(p, OptimizerGroups.initialDeformationRate(p, o));
        }
    }

    /** Rasterizer gradients to the learnable tensors: through SH, the activations and the deformation. */
    private void chainToParameters(GaussianModel model, int activeSh, SurfelGradients g, double t) {
        int n = model.count();
        float[] dPos = g.positions();
        SphericalHarmonics.backward(model, activeSh, renderer.positions, renderer.cameraCentre, g.colors(),
                surfels.sh.grad(), dPos);
        float[] dLogScale = g.scales();
        float[] scales = renderer.batch.scales();
        for (int i = 0; i < 2 * n; i++) {
            dLogScale[i] *= scales[i];
        }
        float[] dLogit = surfels.opacityLogits.grad();
        float[] opacity = renderer.batch.opacities();
        for (int i = 0; i < n; i++) {
            dLogit[i] += g.opacities()[i] * opacity[i] * (1 - opacity[i]);
        }
        field.backward(t, model, dPos, g.rotations(), dLogScale);
        // offsets add to the canonical values, so their gradients pass through unchanged
        add(surfels.positions.grad(), dPos);
        add(surfels.rotations.grad(), g.rotations());
        add(surfels.logScales.grad(), dLogScale);
    }

    private static void add(float[] into, float[] values) {
        for (int i = 0; i < into.length; i++) {
            into[i] += values[i];
        }
    }

    private void accumulate(long... t) {
        for (int i = 0; i < STAGES.length; i++) {
            stageNanos[i] += t[i + 1] - t[i];
        }
    }

    private static float[] statistic(SessionState s, String name, int n) {
        float[] v = s.statistics().get(name);
        if (v == null || v.length != n) {
            throw new IllegalArgumentException("density statistic " + name + " has "
                    + (v == null ? "no values" : v.length + " values") + ", expected " + n);
        }
        return v;
    }

    static float[] toFloat(int[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i];
        }
        return f;
    }

    static int[] toInt(float[] v) {
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (int) v[i];
        }
        return r;
    }
}
