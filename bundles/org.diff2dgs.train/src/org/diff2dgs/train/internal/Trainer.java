package org.diff2dgs.train.internal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.train.api.DensifyResult;
import org.diff2dgs.train.api.IterationPlan;
import org.diff2dgs.train.api.IterationResult;
import org.diff2dgs.train.api.SceneState;
import org.diff2dgs.train.api.SessionSpec;
import org.diff2dgs.train.api.SessionState;
import org.diff2dgs.train.api.TrainOptions;
import org.diff2dgs.train.api.TrainRequest;
import org.diff2dgs.train.api.TrainResult;
import org.diff2dgs.train.api.TrainingBackend;
import org.diff2dgs.train.api.TrainingSession;
import org.diff2dgs.train.io.PlyFormat;
import org.diff2dgs.train.loss.DepthWeightSchedule;
import org.diff2dgs.train.optim.ExponentialLr;

import com.google.gson.JsonObject;

/**
 * The schedule of stage 2 (reconstruction.md): per iteration which training frame, the decayed learning rates, the
 * active SH degree, which loss terms, the adaptive depth weight, whether to step, densify or reset opacities; plus
 * logging, progress and checkpoints. The tensor work of an iteration (deform, render, losses, backward, Adam, density
 * control) runs in a {@link TrainingSession} of the chosen {@link TrainingBackend}, so on a GPU it stays on the
 * device. Every random choice derives from (seed, iteration), and checkpoints hold the optimizer state and the
 * density statistics, so a resumed run continues exactly where the killed one stopped.
 */
final class Trainer {

    /** The scene extent rides along with the density statistics in a checkpoint. */
    static final String EXTENT = "extent";

    private final TrainRequest request;
    private final TrainOptions o;
    private final Sequence seq;
    private final DeformationModel deformationModel;
    private final Progress progress;
    private final CheckpointStore store;
    private final int[] train;
    private final FloatImage[] lossMasks;
    private double elapsedBefore;
    private int startIteration;
    private double extent;
    private double resumedRatioEma = Double.NaN;
    private String trainedOn;
    private String fallbackReason;
    /** The state of the last iteration's checkpoint (the final tensors), handed to the result. */
    private SessionState lastState;
    /** Where the time outside the iteration loop goes (TrainResult#setupSeconds). */
    private final Map<String, Double> setup = new LinkedHashMap<>();
    /** The phases of "initialize" for a fresh start (PointCloudInitializer's, then "deformation"); empty on resume. */
    private final Map<String, Double> initializePhases = new LinkedHashMap<>();

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
        if (request.masksInstruments()) {
            // one pass over each frame's mask; frames in parallel (96 full-size frames are 31 million pixels)
            IntStream.range(0, seq.size()).parallel()
                    .forEach(i -> lossMasks[i] = tissueMask(seq.frame(i)));
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

    /**
     * Trains on {@code choice.preferred()}, or on its fallback when the preferred backend refuses this run's spec;
     * {@code preflight} checks the fallback's memory needs before it takes over.
     */
    TrainResult run(BackendChoice choice, Consumer<TrainingBackend> preflight) {
        Finished f;
        long loopEnd;
        try (TrainingSession session = open(choice, preflight)) {
            f = run(session, startIteration);
            loopEnd = System.nanoTime();
        }
        // after close: the session's gradients and optimizer moments can go before the field is rebuilt
        GaussianModel model = f.end().model();
        DeformationField field = deformationModel.restore(model.count(), f.end().deformation());
        setup.put("finish", (System.nanoTime() - loopEnd) / 1e9);
        return new TrainResult(o.iterations(), startIteration, model.count(), f.seconds(), f.loss(), f.trainPsnr(),
                f.stageSeconds(), new SceneState(model, field, activeShAt(o.iterations()), o.iterations(), o.near(),
                        o.far()), trainedOn, fallbackReason, Collections.unmodifiableMap(new LinkedHashMap<>(setup)),
                Collections.unmodifiableMap(new LinkedHashMap<>(initializePhases)),
                Runtime.getRuntime().availableProcessors());
    }

    /** What a finished loop hands back, the session's final tensors included. */
    private record Finished(double seconds, double loss, double trainPsnr, Map<String, Double> stageSeconds,
            SessionState end) {
    }

    /**
     * Initializes or resumes and opens the session; the start tensors are referenced only from here, so once the
     * session has taken them they can be collected.
     */
    private TrainingSession open(BackendChoice choice, Consumer<TrainingBackend> preflight) {
        long t0 = System.nanoTime();
        Start begin = initializeOrResume();
        long openStart = System.nanoTime();
        setup.put("initialize", (openStart - t0) / 1e9);
        startIteration = begin.iteration();
        extent = begin.extent();
        SessionSpec spec = new SessionSpec(seq, train, lossMasks, o, begin.state(), deformationModel, extent);
        TrainingBackend backend = choice.preferred();
        fallbackReason = choice.reason();
        String refusal = backend.unavailableReason(spec);
        if (refusal != null) {
            String why = "the '" + backend.name() + "' backend cannot train this run: " + refusal;
            if (choice.fallback() == null) {
                throw new UserInputException(why + (backend.name().equals(CpuTrainingBackend.NAME) ? ""
                        : "; train with --backend cpu, or with --backend auto to fall back to the CPU by itself"));
            }
            fallbackReason = why;
            backend = choice.fallback();
            preflight.accept(backend);
        }
        if (fallbackReason != null) {
            // said once, here; run.json and train/result.json keep it
            progress.note("backend: " + fallbackReason + "; training on '" + backend.name()
                    + "' instead (--backend auto)");
        }
        trainedOn = backend.name();
        try {
            TrainingSession session = backend.open(spec);
            setup.put("open", (System.nanoTime() - openStart) / 1e9);
            return session;
        } catch (IllegalArgumentException e) {
            // a start state whose tensors do not fit together: the checkpoint's fault when there is one
            if (begin.checkpoint() == null) {
                throw e;
            }
            throw new UserInputException(begin.checkpoint(), "checkpoint state does not fit: " + e.getMessage());
        }
    }

    private Finished run(TrainingSession session, int start) {
        DepthWeightSchedule depthWeights = new DepthWeightSchedule(depthWeightOptions(o));
        if (!Double.isNaN(resumedRatioEma)) {
            depthWeights.restoreRatioEma(resumedRatioEma);
        }
        boolean depthTerm = !o.depthWeighting().equals("none");
        ExponentialLr positionLr = ExponentialLr.of(o.positionLrInit() * o.spatialScale(),
                o.positionLrFinal() * o.spatialScale(), o.positionLrSteps());
        ExponentialLr deformationLr = ExponentialLr.of(o.deformationLrInit() * o.spatialScale(),
                o.deformationLrFinal() * o.spatialScale(), o.positionLrSteps());
        double[] recentPsnr = new double[50];
        int recent = 0;
        double loss = Double.NaN;
        int lastCheckpoint = start;
        long t0 = System.nanoTime();
        progress.begin("train", o.iterations());
        progress.worked(start, start > 0 ? "resumed at iteration " + start : null);
        // a session whose state() is a snapshot (the GPU's) writes checkpoints while it trains on
        BackgroundCheckpoints background = session.stateIsSnapshot() ? new BackgroundCheckpoints(progress) : null;
        CheckpointStore writerStore = background == null ? store
                : new CheckpointStore(request.checkpoints(), request.keepCheckpoints(), background.notesOnly());
        try (TrainingLog log = new TrainingLog(request.trainingLog(), start)) {
            for (int it = start; it < o.iterations(); it++) {
                progress.checkCancelled();
                // the published script counts iterations from 1 and sets the rates before rendering
                int done = it + 1;
                // the published script densifies at its last iteration too, but after saving the result
                boolean inWindow = done < Math.min(o.densifyUntil(), o.iterations());
                boolean densify = inWindow && done > o.densifyFrom() && done % o.densifyInterval() == 0;
                boolean reset = inWindow && o.opacityResetInterval() > 0 && done % o.opacityResetInterval() == 0;
                // published: no step at the last iteration, and none where density control rebuilt the tensors
                boolean step = done < o.iterations() && (o.optimizerStepOnDensify() || !densify);
                IterationPlan.DepthWeighting depthWeight = depthTerm
                        ? (l1, depthLoss) -> depthWeights.weight(done, o.iterations(), l1, depthLoss)
                        : null;
                IterationPlan plan = new IterationPlan(done, frameAt(it), activeShAt(done), positionLr.at(done),
                        deformationLr.at(done), o.normalWeight() > 0 && it >= o.normalFromIteration(),
                        o.distortionWeight() > 0 && it >= o.distortionFromIteration(), depthWeight, step, inWindow);
                IterationResult r = session.iterate(plan);
                loss = r.loss();
                if (!Double.isFinite(loss)) {
                    // before any checkpoint of this iteration: the store keeps the last good one
                    throw diverged(done, loss, lastCheckpoint);
                }
                recentPsnr[recent++ % recentPsnr.length] = r.psnr();
                if (densify) {
                    int before = session.surfelCount();
                    boolean pruneLarge = o.opacityResetInterval() > 0 && done > o.opacityResetInterval();
                    DensifyResult d = session.densifyAndPrune(pruneLarge, o.seed() * 31 + done);
                    if (d.surfels() == 0) {
                        throw prunedEverySurfel(done, before, d, pruneLarge);
                    }
                }
                if (reset) {
                    session.resetOpacity();
                }

                double seconds = elapsedBefore + (System.nanoTime() - t0) / 1e9;
                if (done % 10 == 0 || done == o.iterations()) {
                    log.row(done, loss, r.l1(), r.ssim(), r.depthLoss(), r.depthWeight(), r.psnr(),
                            session.surfelCount(), seconds);
                }
                progress.worked(1, String.format(java.util.Locale.ROOT, "loss %.4f  PSNR %.2f  surfels %d", loss,
                        mean(recentPsnr, Math.min(recent, recentPsnr.length)), session.surfelCount()));
                boolean last = done == o.iterations();
                if (last || (o.checkpointInterval() > 0 && done % o.checkpointInterval() == 0)) {
                    log.flush();
                    if (background != null) {
                        // one host copy of the tensors at a time (the memory estimate counts one)
                        background.await();
                    }
                    SessionState state = session.state();
                    Runnable write = checkpoint(writerStore, state, done, activeShAt(done), seconds,
                            depthWeights.ratioEma());
                    lastCheckpoint = done;
                    if (background == null) {
                        write.run();
                    } else {
                        background.submit(write);
                    }
                    if (last) {
                        this.lastState = state;
                    }
                }
                if (background != null) {
                    background.flushNotes();
                }
            }
            if (background != null) {
                // the stage ends with its last checkpoint on disk
                background.await();
            }
        } finally {
            if (background != null) {
                try {
                    background.close();
                } catch (RuntimeException e) {
                    // the write in flight failed while training had already failed: the first failure matters
                }
            }
            progress.done();
        }
        double seconds = elapsedBefore + (System.nanoTime() - t0) / 1e9;
        Map<String, Double> perStage = new LinkedHashMap<>();
        int ran = Math.max(1, o.iterations() - start);
        session.stageSeconds().forEach((stage, total) -> perStage.put(stage, total / ran));
        // the last iteration's checkpoint already holds the final tensors (nothing changes after it)
        SessionState end = lastState != null ? lastState : session.state();
        lastState = null;
        return new Finished(seconds, loss, mean(recentPsnr, Math.min(recent, recentPsnr.length)), perStage, end);
    }

    /**
     * The loss left the finite numbers: every later step would spread NaN through the surfels and the checkpoints.
     * Stops before this iteration's checkpoint, says where the run can resume from and what to change.
     */
    private UserInputException diverged(int iteration, double loss, int lastCheckpoint) {
        return new UserInputException("training diverged at iteration " + iteration + ": the loss is " + loss
                + (lastCheckpoint > 0 ? "; the last checkpoint (iteration " + lastCheckpoint + ") is kept"
                        : "; no checkpoint was written")
                + "; lower the learning rates (e.g. --set positionLrInit=" + plain(o.positionLrInit() / 10)
                + ", --set opacityLr=" + plain(o.opacityLr() / 10) + ") or check the clip (d2dgs validate)");
    }

    /**
     * Density control left no surfel: nothing can train or render any more. Says when, which thresholds removed them
     * and what to change (a user error: the options do not suit this scene).
     */
    private UserInputException prunedEverySurfel(int iteration, int before, DensifyResult d, boolean pruneLarge) {
        String extentNote = String.format(java.util.Locale.ROOT, "%.4g", extent);
        return new UserInputException("density control at iteration " + iteration + " pruned every surfel (" + before
                + " before, " + d.cloned() + " cloned, " + d.split() + " split, " + d.pruned() + " pruned): it "
                + "removes surfels with opacity below pruneOpacity=" + plain(o.pruneOpacity())
                + (pruneLarge ? ", and, after the first opacity reset, surfels larger than the size limit "
                        + String.format(java.util.Locale.ROOT, "%.4g", 0.1 * extent) + " (0.1 x the scene extent "
                        + extentNote + ") in the world or wider than " + Densifier.MAX_SCREEN_RADIUS
                        + " pixels on screen" : "")
                + "; try a lower --set pruneOpacity (e.g. " + plain(o.pruneOpacity() / 10) + ")"
                + (pruneLarge ? ", a larger --set sceneExtent (now " + extentNote + ")" : "")
                + ", a later or no opacity reset (--set opacityResetInterval=0), or lower learning rates "
                + "(--set opacityLr=, scalingLr=) if the loss diverged");
    }

    /** A number as people type it: 0.0005, not 5.0E-4. */
    private static String plain(double v) {
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
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

    /** Where a run starts: its tensors, the first iteration to run, the scene extent, the checkpoint (or null). */
    private record Start(SessionState state, int iteration, double extent, Path checkpoint) {
    }

    private Start initializeOrResume() {
        Optional<java.nio.file.Path> newest = store.newest();
        if (newest.isPresent()) {
            return resume(store.load(newest.get()));
        }
        GaussianModel initial = PointCloudInitializer.initialize(seq, train, o, o.seed(), initializePhases);
        long deformationStart = System.nanoTime();
        DeformationField field = deformationModel.create(initial, o.seed());
        initializePhases.put("deformation", (System.nanoTime() - deformationStart) / 1e9);
        Map<String, float[]> deformation = new LinkedHashMap<>();
        for (Parameter p : field.parameters()) {
            deformation.put(p.name(), p.value());
        }
        double extent = o.sceneExtent() > 0 ? o.sceneExtent() : sceneExtent(initial);
        elapsedBefore = 0;
        return new Start(new SessionState(initial, deformation, Map.of(), Map.of()), 0, extent, null);
    }

    private Start resume(CheckpointStore.Loaded c) {
        CheckpointStore.Meta meta = c.meta();
        if (!meta.deformationModel().equals(deformationModel.name())) {
            throw new UserInputException(c.folder(), "checkpoint was trained with deformation model '"
                    + meta.deformationModel() + "', not '" + deformationModel.name() + "'");
        }
        int n = meta.surfels();
        GaussianModel m = new GaussianModel(n, meta.shDegree(), tensor(c, SurfelParameters.POSITIONS),
                tensor(c, SurfelParameters.ROTATIONS), tensor(c, SurfelParameters.LOG_SCALES),
                tensor(c, SurfelParameters.OPACITY_LOGITS), tensor(c, SurfelParameters.SH));
        double extent = c.statistics().get(EXTENT)[0];
        Map<String, float[]> statistics = new LinkedHashMap<>(c.statistics());
        statistics.remove(EXTENT);
        elapsedBefore = meta.elapsedSeconds();
        resumedRatioEma = meta.depthRatioEma();
        return new Start(new SessionState(m, c.deformation(), c.optimizer(), statistics), meta.iteration(), extent,
                c.folder());
    }

    private static float[] tensor(CheckpointStore.Loaded c, String name) {
        float[] t = c.surfels().get(name);
        if (t == null) {
            throw new UserInputException(c.folder(), "checkpoint lacks surfels/" + name + ".npy");
        }
        return t;
    }

    /**
     * The checkpoint of {@code state} as work to run: what depends on the Trainer is read now, on the training thread;
     * the returned write touches only the state's arrays and the store.
     */
    private Runnable checkpoint(CheckpointStore target, SessionState state, int iteration, int activeSh,
            double seconds, double ratioEma) {
        GaussianModel model = state.model();
        Map<String, float[]> surf = new LinkedHashMap<>();
        surf.put(SurfelParameters.POSITIONS, model.positions());
        surf.put(SurfelParameters.ROTATIONS, model.rotations());
        surf.put(SurfelParameters.LOG_SCALES, model.logScales());
        surf.put(SurfelParameters.OPACITY_LOGITS, model.opacityLogits());
        surf.put(SurfelParameters.SH, model.sh());
        Map<String, float[]> st = new LinkedHashMap<>(state.statistics());
        st.put(EXTENT, new float[] {(float) extent});
        JsonObject opts = Json.gson().toJsonTree(o).getAsJsonObject();
        @SuppressWarnings("unchecked")
        Map<String, Object> optionMap = Json.gson().fromJson(opts, Map.class);
        CheckpointStore.Meta meta = new CheckpointStore.Meta(iteration, model.count(), o.shDegree(), activeSh,
                deformationModel.name(), seconds, ratioEma, optionMap);
        return () -> target.write(meta, surf, state.deformation(), state.optimizer(), st,
                (Path ply) -> PlyFormat.write(ply, model));
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

    private static double mean(double[] v, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += v[i];
        }
        return n == 0 ? Double.NaN : s / n;
    }

    private static int[] toInt(float[] v) {
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (int) v[i];
        }
        return r;
    }
}
