package org.diff2dgs.cuda.internal.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.api.RenderSettings;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.core.model.Intrinsics;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.CudaOutOfMemoryException;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;
import org.diff2dgs.cuda.internal.raster.DeviceRasterizer;
import org.diff2dgs.cuda.internal.train.Deformation;
import org.diff2dgs.cuda.internal.train.DensifyKernels;
import org.diff2dgs.cuda.internal.train.FusedAdam;
import org.diff2dgs.cuda.internal.train.LossScalars;
import org.diff2dgs.cuda.internal.train.Losses;
import org.diff2dgs.cuda.internal.train.Shading;
import org.diff2dgs.deform.internal.BasisShape;
import org.diff2dgs.deform.internal.GaussianBasisField;
import org.diff2dgs.train.api.DensifyResult;
import org.diff2dgs.train.api.IterationPlan;
import org.diff2dgs.train.api.IterationResult;
import org.diff2dgs.train.api.MemoryNeeds;
import org.diff2dgs.train.api.SessionSpec;
import org.diff2dgs.train.api.SessionState;
import org.diff2dgs.train.api.TrainOptions;
import org.diff2dgs.train.api.TrainingSession;
import org.diff2dgs.train.internal.OptimizerGroups;

/**
 * A training session resident on the GPU (issue 10): frames, surfels, deformation coefficients, Adam state and
 * density statistics live in device memory; an iteration is a fixed sequence of kernels on one stream (deform, shade,
 * rasterize, losses, rasterizer backward, chain to the parameters, Adam, statistics) and only the loss scalars come
 * back (one synchronization, which also lets the schedule's depth weight see this iteration's L1 and depth loss).
 * The CPU twin is org.diff2dgs.train.internal.CpuTrainingSession: same order of operations, same formulas.
 */
final class CudaTrainingSession implements TrainingSession {

    static final String[] STAGES = {"deform", "render", "loss", "backward", "step", "densify"};
    private static final int DEFORM = 0;
    private static final int RENDER = 1;
    private static final int LOSS = 2;
    private static final int BACKWARD = 3;
    private static final int STEP = 4;
    private static final int DENSIFY = 5;
    /** InverseDepthLoss's default: below 10 valid pixels the depth term is 0. */
    private static final int MIN_DEPTH_PIXELS = 10;

    private final CudaContext cuda;
    private final boolean ownsContext;
    private final TrainOptions o;
    private final Sequence sequence;
    private final double extent;
    private final int width;
    private final int height;
    private final int shDegree;
    private final int shCoefficients;
    private final RenderSettings settings;
    private final double[] intrinsics;
    private final FrameSet frameSet;
    private final FrameBuffers[] frames;
    private final Deformation deformation;
    private final Shading shading;
    private final Losses losses;
    private final FusedAdam adam;
    private final double[] adamRates;
    private final long[] adamSteps;
    private final DensifyKernels densify;
    private final DeviceRasterizer rasterizer;
    private final StageClock clock;
    /** Host seconds in iterate besides the wait for the loss scalars, and that wait (TrainingSession#stageSeconds). */
    private double hostSeconds;
    private double waitSeconds;
    private final int basisCount;
    /** The memory model (SessionMemory) the session was checked against when it opened. */
    private final SessionMemory plannedMemory;
    /** (tile, surfel) entries of the first frame rendered, -1 before. */
    private long firstEntries = -1;

    // learnable tensors, in the CPU session's registration order
    private final DeviceParameter positions;
    private final DeviceParameter rotations;
    private final DeviceParameter logScales;
    private final DeviceParameter logits;
    private final DeviceParameter sh;
    private final DeviceParameter coefs;
    private final List<DeviceParameter> parameters;

    // per image
    private final DeviceBuffer color;
    private final DeviceBuffer others;
    private final DeviceBuffer dColor;
    private final DeviceBuffer dOthers;

    // per surfel, sized for the current count
    private int n;
    private DeviceBuffer deformedPositions;
    private DeviceBuffer deformedRotations;
    private DeviceBuffer deformedLogScales;
    private DeviceBuffer scales;
    private DeviceBuffer opacities;
    private DeviceBuffer colors;
    private DeviceBuffer radii;
    private DeviceBuffer gPositions;
    private DeviceBuffer gRotations;
    private DeviceBuffer gScales;
    private DeviceBuffer gOpacities;
    private DeviceBuffer gColors;
    private DeviceBuffer gScreen;
    private DeviceBuffer gLogScales;
    private DeviceBuffer gradientSum;
    private DeviceBuffer visibleCount;
    private DeviceBuffer maxRadius;
    private boolean closed;

    CudaTrainingSession(CudaContext cuda, boolean ownsContext, SessionSpec spec, BasisShape shape) {
        this.cuda = cuda;
        this.ownsContext = ownsContext;
        this.o = spec.options();
        this.sequence = spec.sequence();
        this.extent = spec.extent();
        this.width = sequence.width();
        this.height = sequence.height();
        SessionState start = spec.start();
        GaussianModel model = start.model();
        this.n = model.count();
        this.shDegree = model.shDegree();
        this.shCoefficients = model.shCoefficients();
        this.basisCount = shape.basisCount();
        settings = new RenderSettings(new float[3], o.near(), o.far());
        Intrinsics k = sequence.frame(0).camera().intrinsics();
        intrinsics = new double[] {k.fx(), k.fy(), k.cx(), k.cy()};
        plannedMemory = SessionMemory.of(spec, GaussianBasisField.CHANNELS * 3 * basisCount);
        refuseUnlessItFits(cuda, spec, plannedMemory);
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            // only the frames training may draw: held-out frames never reach the losses
            frameSet = new FrameSet(cuda, sequence, spec.trainFrames(), spec.lossMasks());
            opened.add(frameSet);
            frames = frameSet.frames;
            Map<String, float[]> opt = start.optimizer();
            positions = new DeviceParameter(cuda, SessionState.POSITIONS, n, 3, model.positions(),
                    OptimizerGroups.initialRate(SessionState.POSITIONS, o), null, opt);
            opened.add(positions);
            rotations = new DeviceParameter(cuda, SessionState.ROTATIONS, n, 4, model.rotations(),
                    OptimizerGroups.initialRate(SessionState.ROTATIONS, o), null, opt);
            opened.add(rotations);
            logScales = new DeviceParameter(cuda, SessionState.LOG_SCALES, n, 2, model.logScales(),
                    OptimizerGroups.initialRate(SessionState.LOG_SCALES, o), null, opt);
            opened.add(logScales);
            logits = new DeviceParameter(cuda, SessionState.OPACITY_LOGITS, n, 1, model.opacityLogits(),
                    OptimizerGroups.initialRate(SessionState.OPACITY_LOGITS, o), null, opt);
            opened.add(logits);
            sh = new DeviceParameter(cuda, SessionState.SH, n, 3 * shCoefficients, model.sh(),
                    OptimizerGroups.initialRate(SessionState.SH, o),
                    OptimizerGroups.shColumnScale(shCoefficients, o.shRestLrFactor()), opt);
            opened.add(sh);
            float[] c = start.deformation().get(GaussianBasisField.PARAMETER);
            if (c == null) {
                throw new IllegalArgumentException("the start state has no deformation tensor "
                        + GaussianBasisField.PARAMETER);
            }
            coefs = new DeviceParameter(cuda, GaussianBasisField.PARAMETER, n,
                    GaussianBasisField.CHANNELS * 3 * basisCount, c,
                    // per-surfel tensor: the full deformation rate (OptimizerGroups.deformationRate)
                    o.deformationLrInit() * o.spatialScale(), null, opt);
            opened.add(coefs);
            parameters = List.of(positions, rotations, logScales, logits, sh, coefs);
            long pixels = (long) width * height;
            color = cuda.allocate(3 * pixels * Float.BYTES, "rendered colour");
            opened.add(color);
            others = cuda.allocate(RenderOutput.AUX_CHANNELS * pixels * Float.BYTES, "rendered auxiliary planes");
            opened.add(others);
            dColor = cuda.allocate(3 * pixels * Float.BYTES, "colour gradient");
            opened.add(dColor);
            dOthers = cuda.allocate(RenderOutput.AUX_CHANNELS * pixels * Float.BYTES, "auxiliary gradient");
            opened.add(dOthers);
            allocateSurfelBuffers(n);
            uploadStatistics(start);
            deformation = new Deformation(cuda, basisCount, shape.squaredExponent());
            shading = new Shading(cuda);
            losses = new Losses(cuda, width, height);
            opened.add(losses);
            adam = new FusedAdam(cuda, o.adamBeta1(), o.adamBeta2(), o.adamEps());
            opened.add(adam);
            adamRates = new double[parameters.size()];
            adamSteps = new long[parameters.size()];
            describeAdam();
            densify = new DensifyKernels(cuda);
            rasterizer = new DeviceRasterizer(cuda);
            opened.add(rasterizer);
            clock = new StageClock(cuda, STAGES.length);
        } catch (RuntimeException e) {
            for (AutoCloseable a : opened) {
                try {
                    a.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            freeSurfelBuffers();
            throw e;
        }
    }

    /**
     * Before any allocation: the session's predicted peak at its cap ({@link SessionMemory#peakAtCap}, the figure the
     * check before training states) against the device's free memory; with {@code -Dd2dgs.memoryCheck=off} it opens
     * anyway (and an allocation that fails later says what it asked and what was free).
     */
    private static void refuseUnlessItFits(CudaContext cuda, SessionSpec spec, SessionMemory memory) {
        if (!MemoryNeeds.checked()) {
            return;
        }
        long cap = SessionMemory.capOf(spec);
        long need = memory.peakAtCap(cap);
        long free = cuda.freeBytes();
        if (need > free) {
            long frames = java.util.Arrays.stream(spec.trainFrames()).distinct().count();
            throw new CudaOutOfMemoryException(String.format(Locale.ROOT, "a training session of %d frames %dx%d at"
                    + " the surfel cap of %,d (its predicted peak, a density control at the cap; nothing allocated)",
                    frames, memory.width(), memory.height(), cap), need, free, cuda.totalBytes());
        }
    }

    /** The memory model with the first frame's entries once one was rendered. */
    SessionMemory memory() {
        return firstEntries < 0 ? plannedMemory : plannedMemory.withEntries(firstEntries);
    }

    private void uploadStatistics(SessionState start) {
        if (start.statistics().isEmpty()) {
            return;
        }
        gradientSum.copyFrom(statistic(start, SessionState.GRADIENT_SUM));
        visibleCount.copyFrom(toInt(statistic(start, SessionState.VISIBLE_COUNT)));
        maxRadius.copyFrom(toInt(statistic(start, SessionState.MAX_RADIUS)));
    }

    private float[] statistic(SessionState s, String name) {
        float[] v = s.statistics().get(name);
        if (v == null || v.length != n) {
            throw new IllegalArgumentException("density statistic " + name + " has "
                    + (v == null ? "no values" : v.length + " values") + ", expected " + n);
        }
        return v;
    }

    private void allocateSurfelBuffers(int count) {
        long c = Math.max(1, count);
        deformedPositions = cuda.allocate(3 * c * Float.BYTES, "deformed positions");
        deformedRotations = cuda.allocate(4 * c * Float.BYTES, "deformed rotations");
        deformedLogScales = cuda.allocate(2 * c * Float.BYTES, "deformed log-scales");
        scales = cuda.allocate(2 * c * Float.BYTES, "scales");
        opacities = cuda.allocate(c * Float.BYTES, "opacities");
        colors = cuda.allocate(3 * c * Float.BYTES, "surfel colours");
        radii = cuda.allocate(c * Integer.BYTES, "screen radii");
        gPositions = cuda.allocate(3 * c * Float.BYTES, "position gradient");
        gRotations = cuda.allocate(4 * c * Float.BYTES, "rotation gradient");
        gScales = cuda.allocate(2 * c * Float.BYTES, "scale gradient");
        gOpacities = cuda.allocate(c * Float.BYTES, "opacity gradient");
        gColors = cuda.allocate(3 * c * Float.BYTES, "surfel colour gradient");
        gScreen = cuda.allocate(c * Float.BYTES, "screen-space gradient");
        gLogScales = cuda.allocate(2 * c * Float.BYTES, "log-scale gradient");
        gradientSum = cuda.allocate(c * Float.BYTES, "density gradient sums");
        visibleCount = cuda.allocate(c * Integer.BYTES, "density visible counts");
        maxRadius = cuda.allocate(c * Integer.BYTES, "density max radii");
        gradientSum.zero();
        visibleCount.zero();
        maxRadius.zero();
    }

    private void freeSurfelBuffers() {
        for (DeviceBuffer b : new DeviceBuffer[] {deformedPositions, deformedRotations, deformedLogScales, scales,
            opacities, colors, radii, gPositions, gRotations, gScales, gOpacities, gColors, gScreen, gLogScales,
            gradientSum, visibleCount, maxRadius}) {
            if (b != null) {
                b.close();
            }
        }
    }

    @Override
    public String device() {
        return cuda.deviceName();
    }

    @Override
    public int surfelCount() {
        return n;
    }

    @Override
    public IterationResult iterate(IterationPlan plan) {
        ensureOpen();
        Frame frame = sequence.frame(plan.frame());
        FrameBuffers f = frames[frame.index()];
        if (f == null) {
            throw new IllegalArgumentException("frame " + frame.index() + " is not a training frame of this session");
        }
        long hostStart = System.nanoTime();
        double[] centre = frame.camera().pose().centre();
        // queued first: also makes the context current on this thread before the first event is recorded
        dColor.zero();
        dOthers.zero();
        clock.start();
        clock.mark(DEFORM);
        prepare(frame.time(), plan.activeSh(), centre);
        clock.mark(RENDER);
        rasterizer.forward(n, deformedPositions, deformedRotations, scales, opacities, colors, frame.camera(),
                settings, color, others, radii);
        if (firstEntries < 0) {
            firstEntries = rasterizer.pairs();
        }

        clock.mark(LOSS);
        double lambda = o.lambdaDssim();
        double colorTotal = f.colorTotal();
        boolean photometricGradient = colorTotal > 0;
        losses.begin();
        losses.color(color, f.image, f.mask, f.maskChannels,
                photometricGradient ? (float) ((1 - lambda) / colorTotal) : 0f,
                photometricGradient ? dColor : null);
        boolean ssimTerm = lambda > 0 && photometricGradient;
        if (ssimTerm) {
            losses.ssim(color, f.image, f.mask, f.maskChannels, colorTotal, -lambda, dColor);
        }
        boolean depthTerm = frame.depth() != null && plan.depthWeight() != null;
        if (depthTerm) {
            losses.depth(others, f.depth, f.mask, 0);
        }
        double regularizerTotal = f.maskSum;
        if (plan.normalTerm() && regularizerTotal > 0) {
            losses.normal(others, f.mask, 0, intrinsics, o.normalWeight() / regularizerTotal, dOthers);
        }
        if (plan.distortionTerm() && regularizerTotal > 0) {
            losses.distortion(others, f.mask, (float) (o.distortionWeight() / regularizerTotal), dOthers);
        }
        Losses.Totals totals = new Losses.Totals(colorTotal, colorTotal, regularizerTotal);
        losses.finish(totals, MIN_DEPTH_PIXELS, Losses.DepthRule.fixed(0), 0);
        long waitStart = System.nanoTime();
        LossScalars s = losses.scalars();
        long waitEnd = System.nanoTime();
        clock.collectPrevious();
        double l1 = s.get(LossScalars.L1);
        double ssim = ssimTerm ? s.get(LossScalars.SSIM) : Double.NaN;
        double loss = ssimTerm ? (1 - lambda) * l1 + lambda * (1 - ssim) : l1;
        double depthLoss = 0;
        double depthWeight = 0;
        if (depthTerm) {
            depthLoss = s.get(LossScalars.DEPTH);
            depthWeight = plan.depthWeight().weight(l1, depthLoss);
            losses.finish(totals, MIN_DEPTH_PIXELS, Losses.DepthRule.fixed(depthWeight), 0);
            losses.depthGradient(others, f.depth, f.mask, 0, dOthers);
            loss += depthWeight * depthLoss;
        }
        if (plan.normalTerm() && regularizerTotal > 0) {
            loss += o.normalWeight() * s.get(LossScalars.NORMAL);
        }
        if (plan.distortionTerm() && regularizerTotal > 0) {
            loss += o.distortionWeight() * s.get(LossScalars.DISTORTION);
        }
        double psnr = s.get(LossScalars.PSNR);

        clock.mark(BACKWARD);
        rasterizer.backward(dColor, dOthers, gPositions, gRotations, gScales, gOpacities, gColors, gScreen);
        shading.backward(n, shCoefficients, plan.activeSh(), deformedPositions, sh.values, centre, scales, opacities,
                gColors, gScales, gOpacities, sh.grad, gPositions, gLogScales, logits.grad);
        deformation.backward(n, frame.time(), coefs.values, gPositions, gRotations, gLogScales, coefs.grad, true,
                positions.grad, rotations.grad, logScales.grad);

        clock.mark(STEP);
        positions.lr = plan.positionLr();
        coefs.lr = plan.deformationLr(); // per-surfel tensor: the full rate (CpuTrainingSession.deformationRate)
        if (plan.step()) {
            // every group in one launch, each as Adam.update: step count + 1, then the bias-corrected rate
            for (int k = 0; k < adamRates.length; k++) {
                DeviceParameter p = parameters.get(k);
                p.step++;
                adamRates[k] = p.lr;
                adamSteps[k] = p.step;
            }
            adam.step(adamRates, adamSteps);
        } else {
            adam.zeroGradients();
        }
        clock.mark(DENSIFY);
        if (plan.accumulateStatistics()) {
            densify.accumulate(n, gScreen, radii, gradientSum, visibleCount, maxRadius);
        }
        clock.mark(STAGES.length);
        long hostEnd = System.nanoTime();
        waitSeconds += (waitEnd - waitStart) / 1e9;
        hostSeconds += ((hostEnd - hostStart) - (waitEnd - waitStart)) / 1e9;
        return new IterationResult(loss, l1, ssim, depthLoss, depthWeight, psnr);
    }

    /** The fused Adam's table of the current tensors (after open and after every reallocation). */
    private void describeAdam() {
        List<FusedAdam.Group> groups = new ArrayList<>(parameters.size());
        for (DeviceParameter p : parameters) {
            groups.add(p.group());
        }
        adam.describe(groups);
    }

    /** Deform to time t, then activations and SH colours seen from the camera centre. */
    private void prepare(double time, int activeSh, double[] centre) {
        deformation.forward(n, time, coefs.values, positions.values, rotations.values, logScales.values,
                deformedPositions, deformedRotations, deformedLogScales);
        shading.forward(n, shCoefficients, activeSh, deformedPositions, deformedLogScales, logits.values, sh.values,
                centre, scales, opacities, colors);
    }

    @Override
    public DensifyResult densifyAndPrune(boolean pruneLarge, long seed) {
        ensureOpen();
        long t0 = System.nanoTime();
        DensifyKernels.Rules rules = new DensifyKernels.Rules(o.densifyGradThreshold(), o.pruneOpacity(),
                o.percentDense(), extent, pruneLarge, o.maxSurfels());
        DensifyResult result;
        try (DensifyKernels.Plan plan = densify.plan(n, gradientSum, visibleCount, maxRadius, logScales.values,
                logits.values, rules)) {
            if (plan.rows() == 0) {
                // the contract (as CpuTrainingSession): report zero surfels, keep the session as it was; the Trainer
                // then stops with a clear message instead of training an empty scene
                clock.addSeconds(DENSIFY, (System.nanoTime() - t0) / 1e9);
                return new DensifyResult(0, plan.cloned(), plan.split(), plan.pruned());
            }
            // the per-surfel buffers are dead once the plan exists (statistics restart at zero, the rest is
            // rewritten by the next iteration): freed before the swap, which then has their room too. The density
            // control's peak is the planning or the new set with its buffers, whichever is larger (SessionMemory)
            freeSurfelBuffers();
            for (DeviceParameter p : parameters) {
                p.reindex(densify, plan);
            }
            densify.placeChildren(plan, seed, positions.values, rotations.values, logScales.values);
            describeAdam();
            n = plan.rows();
            allocateSurfelBuffers(n);
            result = new DensifyResult(n, plan.cloned(), plan.split(), plan.pruned());
        }
        cuda.synchronize();
        clock.addSeconds(DENSIFY, (System.nanoTime() - t0) / 1e9);
        return result;
    }

    @Override
    public void resetOpacity() {
        ensureOpen();
        densify.resetOpacity(n, logits.values, logits.m, logits.v);
    }

    @Override
    public SessionState state() {
        ensureOpen();
        GaussianModel model = new GaussianModel(n, shDegree, positions.download(positions.values),
                rotations.download(rotations.values), logScales.download(logScales.values),
                logits.download(logits.values), sh.download(sh.values));
        Map<String, float[]> deform = new LinkedHashMap<>();
        deform.put(coefs.name, coefs.download(coefs.values));
        Map<String, float[]> optimizer = new LinkedHashMap<>();
        for (DeviceParameter p : parameters) {
            p.putState(optimizer);
        }
        Map<String, float[]> statistics = new LinkedHashMap<>();
        float[] sums = new float[n];
        gradientSum.copyTo(sums, n);
        int[] counts = new int[n];
        visibleCount.copyTo(counts, n);
        int[] maxima = new int[n];
        maxRadius.copyTo(maxima, n);
        statistics.put(SessionState.GRADIENT_SUM, sums);
        statistics.put(SessionState.VISIBLE_COUNT, toFloat(counts));
        statistics.put(SessionState.MAX_RADIUS, toFloat(maxima));
        return new SessionState(model, deform, optimizer, statistics);
    }

    /** state() downloads: its arrays are the session's only at that moment. */
    @Override
    public boolean stateIsSnapshot() {
        return true;
    }

    @Override
    public RenderOutput render(Camera camera, double time, int activeSh) {
        ensureOpen();
        long pixels = (long) camera.width() * camera.height();
        prepare(time, activeSh, camera.pose().centre());
        try (DeviceBuffer c = cuda.allocate(3 * pixels * Float.BYTES, "preview colour");
                DeviceBuffer a = cuda.allocate(RenderOutput.AUX_CHANNELS * pixels * Float.BYTES, "preview planes");
                DeviceBuffer r = cuda.allocate(Math.max(1, n) * (long) Integer.BYTES, "preview radii")) {
            rasterizer.forward(n, deformedPositions, deformedRotations, scales, opacities, colors, camera, settings,
                    c, a, r);
            float[] hc = new float[Math.toIntExact(3 * pixels)];
            float[] ha = new float[Math.toIntExact(RenderOutput.AUX_CHANNELS * pixels)];
            int[] hr = new int[n];
            c.copyTo(hc);
            a.copyTo(ha);
            r.copyTo(hr, n);
            return new RenderOutput(camera.width(), camera.height(), hc, ha, hr, null);
        }
    }

    @Override
    public Map<String, Double> stageSeconds() {
        Map<String, Double> out = new LinkedHashMap<>();
        if (!closed) {
            cuda.synchronize();
            clock.collectAll();
        }
        for (int i = 0; i < STAGES.length; i++) {
            out.put(STAGES[i], clock.seconds(i));
        }
        out.put("host", hostSeconds);
        out.put("wait", waitSeconds);
        return out;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the CUDA training session was closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        rasterizer.close();
        losses.close();
        adam.close();
        for (DeviceParameter p : parameters) {
            p.close();
        }
        frameSet.close();
        freeSurfelBuffers();
        color.close();
        others.close();
        dColor.close();
        dOthers.close();
        clock.close();
        if (ownsContext) {
            cuda.close();
        }
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
