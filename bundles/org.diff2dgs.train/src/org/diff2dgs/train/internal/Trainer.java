package org.diff2dgs.train.internal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.api.RenderSettings;
import org.diff2dgs.core.api.SurfelGradients;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.train.api.SceneState;
import org.diff2dgs.train.api.TrainOptions;
import org.diff2dgs.train.api.TrainRequest;
import org.diff2dgs.train.api.TrainResult;
import org.diff2dgs.train.loss.DepthDistortionLoss;
import org.diff2dgs.train.loss.DepthWeightSchedule;
import org.diff2dgs.train.loss.InverseDepthLoss;
import org.diff2dgs.train.loss.NormalConsistencyLoss;
import org.diff2dgs.train.loss.PhotometricLoss;
import org.diff2dgs.train.loss.RenderedDepth;
import org.diff2dgs.train.optim.Adam;
import org.diff2dgs.train.optim.ExponentialLr;
import org.diff2dgs.train.io.PlyFormat;
import org.diff2dgs.train.sh.SphericalHarmonics;

import com.google.gson.JsonObject;

/**
 * The optimization loop of stage 2 (reconstruction.md): per iteration one training frame, deform, render, losses,
 * backward through rasterizer, SH and deformation, Adam, and adaptive density control on the published schedule.
 * Every random choice derives from (seed, iteration), and checkpoints hold the optimizer state and the density
 * statistics, so a resumed run continues exactly where the killed one stopped.
 */
final class Trainer {

    static final String[] STAGES = {"deform", "render", "loss", "backward", "step", "densify"};

    private final TrainRequest request;
    private final TrainOptions o;
    private final Sequence seq;
    private final DeformationModel deformationModel;
    private final Progress progress;
    private final CheckpointStore store;
    private final int[] train;
    private final FloatImage[] lossMasks;
    private final SceneRenderer renderer = new SceneRenderer();
    private final long[] stageNanos = new long[STAGES.length];

    private SurfelParameters surfels;
    private DeformationField field;
    private Adam adam;
    private Densifier.Statistics stats;
    private double extent;
    private double elapsedBefore;
    private double resumedRatioEma = Double.NaN;

    Trainer(TrainRequest request, DeformationModel deformationModel, Progress progress) {
        this.request = request;
        this.o = request.options();
        this.seq = request.sequence();
        this.deformationModel = deformationModel;
        this.progress = progress;
        this.store = new CheckpointStore(request.checkpoints(), request.keepCheckpoints(), progress);
        this.train = seq.split().train();
        if (train.length == 0) {
            throw new UserInputException(seq.source(), "the split '" + seq.split().rule() + "' has no training frames");
        }
        lossMasks = new FloatImage[seq.size()];
        // frames that still show instruments are always masked; inpainted ones only when asked (published: not)
        boolean masked = o.maskInstruments() || !request.inpainted();
        for (int i = 0; i < seq.size(); i++) {
            lossMasks[i] = masked ? tissueMask(seq.frame(i)) : null;
        }
    }

    /** 1 where a pixel counts in the losses (tissue), 0 under instruments. */
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

    TrainResult run(Rasterizer rasterizer) {
        int start = initializeOrResume();
        RenderSettings settings = new RenderSettings(new float[3], o.near(), o.far());
        PhotometricLoss photometric = new PhotometricLoss(o.lambdaDssim());
        InverseDepthLoss inverseDepth = new InverseDepthLoss();
        DepthDistortionLoss distortion = new DepthDistortionLoss();
        DepthWeightSchedule depthWeights = new DepthWeightSchedule(depthWeightOptions(o));
        if (!Double.isNaN(resumedRatioEma)) {
            depthWeights.restoreRatioEma(resumedRatioEma);
        }
        NormalConsistencyLoss normals = new NormalConsistencyLoss(seq.frame(0).camera().intrinsics(),
                RenderedDepth.EXPECTED);
        ExponentialLr positionLr = ExponentialLr.of(o.positionLrInit() * o.spatialScale(),
                o.positionLrFinal() * o.spatialScale(), o.positionLrSteps());
        ExponentialLr deformationLr = ExponentialLr.of(o.deformationLrInit() * o.spatialScale(),
                o.deformationLrFinal() * o.spatialScale(), o.positionLrSteps());
        int pixels = seq.width() * seq.height();
        float[] dColor = new float[3 * pixels];
        float[] dOthers = new float[RenderOutput.AUX_CHANNELS * pixels];
        double[] recentPsnr = new double[50];
        int recent = 0;
        double loss = Double.NaN;
        long t0 = System.nanoTime();
        progress.begin("train", o.iterations());
        progress.worked(start, start > 0 ? "resumed at iteration " + start : null);
        try (TrainingLog log = new TrainingLog(request.trainingLog(), start)) {
            for (int it = start; it < o.iterations(); it++) {
                progress.checkCancelled();
                Frame frame = seq.frame(frameAt(it));
                FloatImage mask = lossMasks[frame.index()];
                int activeSh = activeShAt(it + 1);
                GaussianModel model = surfels.model();
                int n = model.count();

                long s = System.nanoTime();
                renderer.prepare(model, field, activeSh, frame.camera(), frame.time());
                long s1 = System.nanoTime();
                RenderOutput render = rasterizer.forward(renderer.batch, frame.camera(), settings);
                long s2 = System.nanoTime();

                Arrays.fill(dColor, 0f);
                Arrays.fill(dOthers, 0f);
                PhotometricLoss.Value photo = photometric.addGradient(render, frame.image(), mask, 1.0, dColor);
                loss = photo.total();
                double depthLoss = 0;
                double depthWeight = 0;
                if (frame.depth() != null && !o.depthWeighting().equals("none")) {
                    depthLoss = inverseDepth.value(render, frame.depth(), mask);
                    depthWeight = depthWeights.weight(it + 1, o.iterations(), photo.l1(), depthLoss);
                    inverseDepth.addGradient(render, frame.depth(), mask, depthWeight, dOthers);
                    loss += depthWeight * depthLoss;
                }
                if (o.normalWeight() > 0 && it >= o.normalFromIteration()) {
                    loss += o.normalWeight() * normals.addGradient(render, mask, o.normalWeight(), dOthers);
                }
                if (o.distortionWeight() > 0 && it >= o.distortionFromIteration()) {
                    loss += o.distortionWeight()
                            * distortion.addGradient(render, mask, o.distortionWeight(), dOthers);
                }
                double psnr = maskedPsnr(render.color(), frame.image(), mask);
                recentPsnr[recent++ % recentPsnr.length] = psnr;
                long s3 = System.nanoTime();

                SurfelGradients g = rasterizer.backward(render, dColor, dOthers);
                chainToParameters(model, activeSh, g, frame.time());
                long s4 = System.nanoTime();

                // the published script counts iterations from 1 and sets the rates before rendering
                int done = it + 1;
                adam.setLearningRate(SurfelParameters.POSITIONS, positionLr.at(done));
                for (Parameter p : field.parameters()) {
                    adam.setLearningRate(p.name(), deformationRate(p, deformationLr.at(done), o));
                }
                // the published script densifies at its last iteration too, but after saving the result
                boolean inWindow = done < Math.min(o.densifyUntil(), o.iterations());
                boolean densify = inWindow && done > o.densifyFrom() && done % o.densifyInterval() == 0;
                boolean reset = inWindow && o.opacityResetInterval() > 0 && done % o.opacityResetInterval() == 0;
                // published: no step at the last iteration, and none where density control rebuilt the tensors
                boolean step = done < o.iterations() && (o.optimizerStepOnDensify() || !densify);
                if (step) {
                    adam.stepAndZeroGrad();
                } else {
                    adam.zeroGrad();
                }
                long s5 = System.nanoTime();

                if (inWindow) {
                    stats.add(g.screenGradient(), render.radii(), n);
                    if (densify) {
                        Densifier.Result r = Densifier.densifyAndPrune(surfels, field, adam, stats,
                                o.densifyGradThreshold(), o.pruneOpacity(), o.percentDense(), extent,
                                o.opacityResetInterval() > 0 && done > o.opacityResetInterval(), o.maxSurfels(),
                                o.seed() * 31 + done);
                        surfels = r.surfels();
                        field = r.field();
                    }
                    if (reset) {
                        Densifier.resetOpacity(surfels, adam);
                    }
                }
                long s6 = System.nanoTime();
                accumulate(s, s1, s2, s3, s4, s5, s6);

                double seconds = elapsedBefore + (System.nanoTime() - t0) / 1e9;
                if (done % 10 == 0 || done == o.iterations()) {
                    log.row(done, loss, photo.l1(), photo.ssim(), depthLoss, depthWeight, psnr, surfels.count(),
                            seconds);
                }
                progress.worked(1, String.format(java.util.Locale.ROOT, "loss %.4f  PSNR %.2f  surfels %d", loss,
                        mean(recentPsnr, Math.min(recent, recentPsnr.length)), surfels.count()));
                boolean last = done == o.iterations();
                if (last || (o.checkpointInterval() > 0 && done % o.checkpointInterval() == 0)) {
                    log.flush();
                    checkpoint(done, activeShAt(done), seconds, depthWeights.ratioEma());
                }
            }
        } finally {
            progress.done();
        }
        double seconds = elapsedBefore + (System.nanoTime() - t0) / 1e9;
        Map<String, Double> perStage = new LinkedHashMap<>();
        int ran = Math.max(1, o.iterations() - start);
        for (int i = 0; i < STAGES.length; i++) {
            perStage.put(STAGES[i], stageNanos[i] / 1e9 / ran);
        }
        return new TrainResult(o.iterations(), start, surfels.count(), seconds, loss,
                mean(recentPsnr, Math.min(recent, recentPsnr.length)), perStage,
                new SceneState(surfels.model(), field, activeShAt(o.iterations()), o.iterations(), o.near(), o.far()));
    }

    /**
     * Per-surfel deformation tensors (Gaussian time bases) take the position-like rate of Deform3DGS. Shared network
     * weights (the MLP field) are seen by every surfel at once, so that rate makes them diverge within a few steps;
     * they take {@code sharedWeightLrFactor} of it (default a hundredth: 1.6e-5 at the start of the published
     * schedule).
     */
    static double deformationRate(Parameter p, double perSurfelRate, TrainOptions o) {
        return p.perSurfel() ? perSurfelRate : perSurfelRate * o.sharedWeightLrFactor();
    }

    /** The adaptive rule's constants and the fixed weight come from the options; "none" never asks. */
    static DepthWeightSchedule.Options depthWeightOptions(TrainOptions o) {
        DepthWeightSchedule.Strategy strategy = o.depthWeighting().equals("fixed")
                ? DepthWeightSchedule.Strategy.FIXED
                : DepthWeightSchedule.Strategy.ADAPTIVE_RATIO;
        return new DepthWeightSchedule.Options(strategy, o.depthWeight(), o.depthWeight(), o.depthWeightDecay(),
                o.depthWeightGain(), o.depthWeightMin(), o.depthWeightMax(), 0.95, 0.0);
    }

    /** Active SH degree at a 1-based iteration: the published script raises it at iterations 500, 1000, 1500. */
    private int activeShAt(int iteration) {
        return Math.min(o.shDegree(), iteration / o.shIncreaseInterval());
    }

    private void accumulate(long... t) {
        for (int i = 0; i < STAGES.length; i++) {
            stageNanos[i] += t[i + 1] - t[i];
        }
    }

    /**
     * The training frame of an iteration: a uniform draw (the published script's randint) or a fresh permutation of
     * the training frames per epoch; a pure function of (seed, iteration) either way, so a resumed run agrees.
     */
    int frameAt(int iteration) {
        if (o.frameOrder().equals("random")) {
            return train[new SplittableRandom(o.seed() * 1_000_003L + 7_919L * iteration).nextInt(train.length)];
        }
        int epoch = iteration / train.length;
        int[] order = train.clone();
        SplittableRandom r = new SplittableRandom(o.seed() * 1_000_003L + epoch);
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order[iteration % train.length];
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

    private int initializeOrResume() {
        Optional<java.nio.file.Path> newest = store.newest();
        if (newest.isPresent()) {
            return resume(store.load(newest.get()));
        }
        GaussianModel initial = PointCloudInitializer.initialize(seq, train, o, o.seed());
        surfels = new SurfelParameters(initial);
        field = deformationModel.create(initial, o.seed());
        extent = o.sceneExtent() > 0 ? o.sceneExtent() : sceneExtent(initial);
        stats = new Densifier.Statistics(initial.count());
        registerOptimizer();
        elapsedBefore = 0;
        return 0;
    }

    private int resume(CheckpointStore.Loaded c) {
        CheckpointStore.Meta meta = c.meta();
        if (!meta.deformationModel().equals(deformationModel.name())) {
            throw new UserInputException(c.folder(), "checkpoint was trained with deformation model '"
                    + meta.deformationModel() + "', not '" + deformationModel.name() + "'");
        }
        int n = meta.surfels();
        GaussianModel m = new GaussianModel(n, meta.shDegree(), tensor(c, SurfelParameters.POSITIONS),
                tensor(c, SurfelParameters.ROTATIONS), tensor(c, SurfelParameters.LOG_SCALES),
                tensor(c, SurfelParameters.OPACITY_LOGITS), tensor(c, SurfelParameters.SH));
        surfels = new SurfelParameters(m);
        field = deformationModel.restore(n, c.deformation());
        extent = c.statistics().get("extent")[0];
        stats = new Densifier.Statistics(n);
        stats.gradientSum = c.statistics().get("gradientSum");
        stats.visibleCount = toInt(c.statistics().get("visibleCount"));
        stats.maxRadius = toInt(c.statistics().get("maxRadius"));
        registerOptimizer();
        try {
            adam.restore(c.optimizer());
        } catch (IllegalArgumentException e) {
            throw new UserInputException(c.folder(), "checkpoint optimizer state does not fit: " + e.getMessage());
        }
        elapsedBefore = meta.elapsedSeconds();
        resumedRatioEma = meta.depthRatioEma();
        return meta.iteration();
    }

    private static float[] tensor(CheckpointStore.Loaded c, String name) {
        float[] t = c.surfels().get(name);
        if (t == null) {
            throw new UserInputException(c.folder(), "checkpoint lacks surfels/" + name + ".npy");
        }
        return t;
    }

    private void registerOptimizer() {
        adam = new Adam(o.adamBeta1(), o.adamBeta2(), o.adamEps());
        adam.add(surfels.positions, o.positionLrInit() * o.spatialScale());
        adam.add(surfels.rotations, o.rotationLr());
        adam.add(surfels.logScales, o.scalingLr());
        adam.add(surfels.opacityLogits, o.opacityLr());
        adam.add(surfels.sh, o.shLr());
        adam.setColumnScale(SurfelParameters.SH, shColumnScale(surfels.model().shCoefficients(), o.shRestLrFactor()));
        for (Parameter p : field.parameters()) {
            adam.add(p, deformationRate(p, o.deformationLrInit() * o.spatialScale(), o));
        }
    }

    /** Rate factor per SH column (3 colours per coefficient): 1 for the DC term, shRestLrFactor for the others. */
    static float[] shColumnScale(int coefficients, double restFactor) {
        float[] scale = new float[3 * coefficients];
        Arrays.fill(scale, (float) restFactor);
        Arrays.fill(scale, 0, 3, 1f);
        return scale;
    }

    private void checkpoint(int iteration, int activeSh, double seconds, double ratioEma) {
        Map<String, float[]> surf = new LinkedHashMap<>();
        for (Parameter p : surfels.all()) {
            surf.put(p.name(), p.value());
        }
        Map<String, float[]> def = new LinkedHashMap<>();
        for (Parameter p : field.parameters()) {
            def.put(p.name(), p.value());
        }
        Map<String, float[]> st = new LinkedHashMap<>();
        st.put("gradientSum", stats.gradientSum);
        st.put("visibleCount", toFloat(stats.visibleCount));
        st.put("maxRadius", toFloat(stats.maxRadius));
        st.put("extent", new float[] {(float) extent});
        JsonObject opts = Json.gson().toJsonTree(o).getAsJsonObject();
        @SuppressWarnings("unchecked")
        Map<String, Object> optionMap = Json.gson().fromJson(opts, Map.class);
        CheckpointStore.Meta meta = new CheckpointStore.Meta(iteration, surfels.count(), o.shDegree(), activeSh,
                deformationModel.name(), seconds, ratioEma, optionMap);
        GaussianModel model = surfels.model();
        store.write(meta, surf, def, adam.state(), st, (Path ply) -> PlyFormat.write(ply, model));
    }

    /** Radius of the initial cloud around its median centre (robust to stray depth outliers), 1.1x like 3DGS. */
    static double sceneExtent(GaussianModel m) {
        int n = m.count();
        float[] p = m.positions();
        double[] centre = new double[3];
        for (int c = 0; c < 3; c++) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = p[3 * i + c];
            }
            Arrays.sort(v);
            centre[c] = v[n / 2];
        }
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            double dx = p[3 * i] - centre[0];
            double dy = p[3 * i + 1] - centre[1];
            double dz = p[3 * i + 2] - centre[2];
            d[i] = (float) Math.sqrt(dx * dx + dy * dy + dz * dz);
        }
        Arrays.sort(d);
        return 1.1 * d[(int) (0.95 * (n - 1))];
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

    private static double mean(double[] v, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += v[i];
        }
        return n == 0 ? Double.NaN : s / n;
    }

    private static float[] toFloat(int[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i];
        }
        return f;
    }

    private static int[] toInt(float[] v) {
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (int) v[i];
        }
        return r;
    }
}
