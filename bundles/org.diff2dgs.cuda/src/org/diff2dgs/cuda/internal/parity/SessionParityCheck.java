package org.diff2dgs.cuda.internal.parity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.DatasetInfo;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.core.model.Intrinsics;
import org.diff2dgs.core.model.Pose;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.core.model.Split;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.parity.ParityCase.Outcome;
import org.diff2dgs.cuda.internal.parity.ParityCase.Worst;
import org.diff2dgs.cuda.internal.session.CudaTrainingBackend;
import org.diff2dgs.deform.internal.GaussianBasisModel;
import org.diff2dgs.splat.internal.CpuBackend;
import org.diff2dgs.train.api.DensifyResult;
import org.diff2dgs.train.api.IterationPlan;
import org.diff2dgs.train.api.IterationResult;
import org.diff2dgs.train.api.SessionSpec;
import org.diff2dgs.train.api.SessionState;
import org.diff2dgs.train.api.TrainOptions;
import org.diff2dgs.train.api.TrainingSession;
import org.diff2dgs.train.internal.CpuTrainingBackend;
import org.diff2dgs.train.loss.DepthWeightSchedule;
import org.diff2dgs.train.sh.SphericalHarmonics;

/**
 * Issue 10's session parity: the CUDA session and the CPU session from the same start, driven by the same 50
 * iteration plans (every loss term on from some iteration, SH degree rising, one density control, one opacity reset),
 * end with every tensor (surfels, deformation, Adam moments, statistics) within 1e-3 relative, and agree on the
 * scalars of every iteration. A small in-memory clip (64 x 48, 6 frames, a moving textured surface with depth and an
 * instrument rectangle) keeps the CPU side short.
 */
public final class SessionParityCheck {

    private static final int W = 64;
    private static final int H = 48;
    private static final int FRAMES = 6;
    private static final int SURFELS = 3_000;
    private static final int ITERATIONS = 50;
    private static final double EXTENT = 1.0;
    private static final double TOLERANCE = 1e-3;
    private static final int DENSIFY_AT = 30;
    private static final int RESET_AT = 40;
    /** A scalar this far apart (relative) marks where the two sessions start to diverge in the report. */
    private static final double SCALARS_APART = 1e-4;
    private static final String INDENT = "    ";

    private SessionParityCheck() {
    }

    static final String NAME = "session " + ITERATIONS + " iterations cpu vs cuda " + SURFELS + " surfels " + W + "x"
            + H;

    static List<KernelCheck> all() {
        return List.of(ParityCase.check(NAME, TOLERANCE, SessionParityCheck::run));
    }

    private static Outcome run(CudaContext cuda, SplittableRandom r) {
        long start = r.nextLong();
        SplittableRandom s = new SplittableRandom(start);
        SessionSpec spec = spec(s);
        long seed = s.nextLong();
        Outcome gpuOutcome;
        try (TrainingSession cpu = cpuSession(spec); TrainingSession gpu = CudaTrainingBackend.openOn(cuda, spec)) {
            gpuOutcome = drive(spec, cpu, gpu, seed);
        }
        // the scale of amplification on this very run: how far the CPU session drifts from itself when its start
        // positions differ in the last bit (informative, not the verdict)
        CheckResult ulp = against(start, SessionParityCheck::cpuSessionOneUlpUp);
        StringBuilder baseline = new StringBuilder(INDENT).append(String.format(Locale.ROOT,
                "baseline, CPU against CPU with every start position one ulp up: max rel %.3e", ulp.maxRelError()));
        ulp.detail().lines().filter(l -> l.startsWith(INDENT + "after iteration"))
                .forEach(l -> baseline.append('\n').append(INDENT).append(l));
        return new Outcome(gpuOutcome.error(), gpuOutcome.detail() + "\n" + baseline);
    }

    /** A CPU session whose start positions are each one ulp larger (the spec's own copy is changed). */
    public static TrainingSession cpuSessionOneUlpUp(SessionSpec spec) {
        float[] p = spec.start().model().positions();
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.nextUp(p[i]);
        }
        return cpuSession(spec);
    }

    /**
     * The same check, report and verdict with another session in place of the CUDA one, from the same seed as the
     * selftest's row (a test drives two CPU sessions this way, where no GPU is).
     */
    public static CheckResult against(long seed, Function<SessionSpec, TrainingSession> other) {
        SplittableRandom r = new SplittableRandom(seed);
        SessionSpec spec = spec(r);
        long densifySeed = r.nextLong();
        // its own copy of the start: a CPU session trains the start tensors in place (the CUDA session copies them
        // to the device when it opens)
        SessionSpec copy = spec(new SplittableRandom(seed));
        try (TrainingSession cpu = cpuSession(spec); TrainingSession o = other.apply(copy)) {
            Outcome out = drive(spec, cpu, o, densifySeed);
            return CheckResult.of(NAME, out.error(), TOLERANCE, out.detail());
        }
    }

    /** The reference: a CPU session of the CPU compute backend. */
    public static TrainingSession cpuSession(SessionSpec spec) {
        return new CpuTrainingBackend(cpuOnly()).open(spec);
    }

    private static Outcome drive(SessionSpec spec, TrainingSession cpu, TrainingSession gpu, long seed) {
        DepthWeightSchedule cpuWeights = new DepthWeightSchedule(DepthWeightSchedule.Options.diff2dgs());
        DepthWeightSchedule gpuWeights = new DepthWeightSchedule(DepthWeightSchedule.Options.diff2dgs());
        Worst worst = new Worst();
        String densified = "";
        StringBuilder scalars = new StringBuilder();
        StringBuilder tables = new StringBuilder();
        int firstApart = -1;
        double firstApartError = 0;
        scalars.append(String.format(Locale.ROOT, "%s%3s %13s %13s %11s %11s %9s %9s %10s %10s %9s", INDENT, "it",
                "loss cpu", "loss gpu", "l1 cpu", "l1 gpu", "psnr cpu", "psnr gpu", "dw cpu", "dw gpu", "max rel"));
        for (int it = 1; it <= ITERATIONS; it++) {
            IterationPlan cpuPlan = plan(it, spec, cpuWeights);
            IterationPlan gpuPlan = plan(it, spec, gpuWeights);
            IterationResult a = cpu.iterate(cpuPlan);
            IterationResult b = gpu.iterate(gpuPlan);
            worst.scalar("loss at " + it, b.loss(), a.loss());
            worst.scalar("L1 at " + it, b.l1(), a.l1());
            worst.scalar("PSNR at " + it, b.psnr(), a.psnr());
            worst.scalar("depth weight at " + it, b.depthWeight(), a.depthWeight());
            double apart = Math.max(Math.max(RelativeError.scalar(b.loss(), a.loss(), 0),
                    RelativeError.scalar(b.l1(), a.l1(), 0)), Math.max(RelativeError.scalar(b.psnr(), a.psnr(), 0),
                            RelativeError.scalar(b.depthWeight(), a.depthWeight(), 0)));
            if (firstApart < 0 && !(apart <= SCALARS_APART)) {
                firstApart = it;
                firstApartError = apart;
            }
            scalars.append('\n').append(String.format(Locale.ROOT,
                    "%s%3d %13.7e %13.7e %11.5e %11.5e %9.5f %9.5f %10.4e %10.4e %9.2e", INDENT, it, a.loss(),
                    b.loss(), a.l1(), b.l1(), a.psnr(), b.psnr(), a.depthWeight(), b.depthWeight(), apart));
            if (it == 1 || it == 10) {
                snapshot(tables, "after iteration " + it, cpu.state(), gpu.state());
            }
            if (it == DENSIFY_AT) {
                snapshot(tables, "after iteration " + it + ", before the densification", cpu.state(),
                        gpu.state());
                DensifyResult dc = cpu.densifyAndPrune(false, seed);
                DensifyResult dg = gpu.densifyAndPrune(false, seed);
                densified = String.format(Locale.ROOT, "densify cpu %s gpu %s", dc, dg);
                if (!dc.equals(dg)) {
                    worst.scalar("densify counts", Double.NaN, 0);
                }
            }
            if (it == RESET_AT) {
                cpu.resetOpacity();
                gpu.resetOpacity();
            }
        }
        SessionState cs = cpu.state();
        SessionState gs = gpu.state();
        compare(worst, cs, gs);
        snapshot(tables, "after iteration " + ITERATIONS + " (the verdict)", cs, gs);
        Outcome o = worst.outcome(densified);
        String first = firstApart < 0
                ? "no iteration has a scalar apart by more than " + SCALARS_APART + " relative"
                : String.format(Locale.ROOT, "first iteration with a scalar apart by more than %.0e relative: %d"
                        + " (%.3e)", SCALARS_APART, firstApart, firstApartError);
        return new Outcome(o.error(), o.detail() + "; " + first + "\n" + scalars + "\n" + tables);
    }

    /** One table of every tensor (the verdict's tensors) at a point of the run; informative, not the verdict. */
    private static void snapshot(StringBuilder out, String when, SessionState cpu, SessionState gpu) {
        TensorComparison t = table(cpu, gpu);
        TensorComparison.Row w = t.worst();
        if (!out.isEmpty()) {
            out.append('\n');
        }
        out.append(INDENT).append(when).append(String.format(Locale.ROOT, ": worst %s %.3e", w.name(),
                w.maxRelError())).append('\n').append(t.format(INDENT + "  "));
    }

    private static TensorComparison table(SessionState cpu, SessionState gpu) {
        TensorComparison t = new TensorComparison();
        GaussianModel a = cpu.model();
        GaussianModel b = gpu.model();
        t.add("positions", b.positions(), a.positions());
        t.add("rotations", b.rotations(), a.rotations());
        t.add("logScales", b.logScales(), a.logScales());
        t.add("opacityLogits", b.opacityLogits(), a.opacityLogits());
        t.add("sh", b.sh(), a.sh());
        for (Map.Entry<String, float[]> e : cpu.deformation().entrySet()) {
            t.add(e.getKey(), orEmpty(gpu.deformation().get(e.getKey())), e.getValue());
        }
        for (Map.Entry<String, float[]> e : cpu.optimizer().entrySet()) {
            t.add("adam " + e.getKey(), orEmpty(gpu.optimizer().get(e.getKey())), e.getValue());
        }
        for (Map.Entry<String, float[]> e : cpu.statistics().entrySet()) {
            t.add(e.getKey(), orEmpty(gpu.statistics().get(e.getKey())), e.getValue());
        }
        return t;
    }

    private static void compare(Worst worst, SessionState cpu, SessionState gpu) {
        GaussianModel a = cpu.model();
        GaussianModel b = gpu.model();
        worst.tensor("positions", b.positions(), a.positions());
        worst.tensor("rotations", b.rotations(), a.rotations());
        worst.tensor("logScales", b.logScales(), a.logScales());
        worst.tensor("opacityLogits", b.opacityLogits(), a.opacityLogits());
        worst.tensor("sh", b.sh(), a.sh());
        for (Map.Entry<String, float[]> e : cpu.deformation().entrySet()) {
            worst.tensor(e.getKey(), orEmpty(gpu.deformation().get(e.getKey())), e.getValue());
        }
        for (Map.Entry<String, float[]> e : cpu.optimizer().entrySet()) {
            worst.tensor("adam " + e.getKey(), orEmpty(gpu.optimizer().get(e.getKey())), e.getValue());
        }
        for (Map.Entry<String, float[]> e : cpu.statistics().entrySet()) {
            worst.tensor(e.getKey(), orEmpty(gpu.statistics().get(e.getKey())), e.getValue());
        }
    }

    private static float[] orEmpty(float[] v) {
        return v == null ? new float[0] : v;
    }

    /**
     * The Trainer's plan rules in small: every term from some iteration on, no step at the densification. No surfel
     * cap: under a cap the hottest candidates are kept, and two backends whose gradients differ in the last bits
     * could pick different ones at the boundary (the cap itself is checked exactly by DensifyChecks).
     */
    private static IterationPlan plan(int it, SessionSpec spec, DepthWeightSchedule weights) {
        int[] train = spec.trainFrames();
        TrainOptions o = spec.options();
        int frame = train[(it * 7) % train.length];
        int activeSh = Math.min(3, it / 12);
        double lrScale = Math.pow(0.99, it);
        return new IterationPlan(it, frame, activeSh, o.positionLrInit() * o.spatialScale() * lrScale,
                o.deformationLrInit() * o.spatialScale() * lrScale, it > 10, it > 20,
                (l1, depth) -> weights.weight(it, ITERATIONS, l1, depth), it != DENSIFY_AT, true);
    }

    private static SessionSpec spec(SplittableRandom r) {
        Intrinsics k = new Intrinsics(70, 71, W / 2.0 + 0.3, H / 2.0 - 0.4, W, H);
        List<Frame> frames = new ArrayList<>();
        FloatImage[] masks = new FloatImage[FRAMES];
        for (int f = 0; f < FRAMES; f++) {
            double t = (double) f / FRAMES;
            float[] image = new float[3 * W * H];
            float[] depth = new float[W * H];
            float[] mask = new float[W * H];
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int i = y * W + x;
                    double u = x + 3 * t;
                    image[i] = (float) (0.5 + 0.3 * Math.sin(u / 5.0) * Math.cos(y / 7.0));
                    image[W * H + i] = (float) (0.4 + 0.2 * Math.cos(u / 9.0 + y / 4.0));
                    image[2 * W * H + i] = (float) (0.3 + 0.1 * r.nextDouble());
                    depth[i] = (float) (2 + 0.3 * Math.sin(u / 11.0) + 0.2 * Math.cos(y / 13.0));
                    boolean instrument = x > 40 && y > 10 + 4 * f && y < 25 + 4 * f;
                    mask[i] = instrument ? 0f : 1f;
                }
            }
            masks[f] = new FloatImage(W, H, 1, mask);
            Camera camera = new Camera(k, Pose.identity(), 0.03, 250);
            frames.add(new Frame(f, t, "f" + f, camera, new FloatImage(W, H, 3, image), new FloatImage(W, H, 1,
                    depth), null, null, null));
        }
        DatasetInfo info = new DatasetInfo("parity", "opencv", "none", 1.0, new double[] {1, 3}, Map.of(), List.of(),
                false);
        Sequence seq = new Sequence("session parity", Path.of("session-parity"), frames,
                new Split("parity", new int[] {0, 2, 3, 5}, new int[] {1, 4}), info);
        GaussianModel model = surfels(r, k);
        DeformationModel deformation = new GaussianBasisModel();
        DeformationField field = deformation.create(model, 1);
        Map<String, float[]> coefs = new java.util.LinkedHashMap<>();
        for (Parameter p : field.parameters()) {
            coefs.put(p.name(), p.value().clone());
        }
        TrainOptions options = TrainOptions.published().with(Map.of("lambdaDssim", 0.2, "normalWeight", 0.05,
                "distortionWeight", 10.0, "densifyGradThreshold", 2e-5, "percentDense", 0.05, "maxSurfels", 100_000,
                "seed", 17));
        SessionState start = new SessionState(model, coefs, Map.of(), Map.of());
        return new SessionSpec(seq, seq.split().train(), masks, options, start, deformation, EXTENT);
    }

    /** Surfels on the depth surface in front of the camera, coloured from a pattern, opacities 0.1 .. 0.6. */
    private static GaussianModel surfels(SplittableRandom r, Intrinsics k) {
        int n = SURFELS;
        int coefficients = 16;
        float[] p = new float[3 * n];
        float[] q = new float[4 * n];
        float[] s = new float[2 * n];
        float[] o = new float[n];
        float[] sh = new float[3 * coefficients * n];
        for (int i = 0; i < n; i++) {
            double px = r.nextDouble() * W;
            double py = r.nextDouble() * H;
            double z = 2 + 0.3 * Math.sin(px / 11.0) + 0.2 * Math.cos(py / 13.0) + 0.02 * (r.nextDouble() - 0.5);
            p[3 * i] = (float) ((px - k.cx()) / k.fx() * z);
            p[3 * i + 1] = (float) ((py - k.cy()) / k.fy() * z);
            p[3 * i + 2] = (float) z;
            for (int c = 0; c < 4; c++) {
                q[4 * i + c] = (float) r.nextDouble();
            }
            s[2 * i] = (float) Math.log(0.01 + 0.04 * r.nextDouble());
            s[2 * i + 1] = (float) Math.log(0.01 + 0.04 * r.nextDouble());
            double opacity = 0.1 + 0.5 * r.nextDouble();
            o[i] = (float) Math.log(opacity / (1 - opacity));
            for (int c = 0; c < 3; c++) {
                sh[3 * coefficients * i + c] = SphericalHarmonics.dcFromRgb(0.3 + 0.4 * r.nextDouble());
            }
        }
        return new GaussianModel(n, 3, p, q, s, o, sh);
    }

    /** A catalog with only the CPU compute backend: what CpuTrainingBackend needs to open its session. */
    private static ServiceCatalog cpuOnly() {
        ComputeBackend backend = new CpuBackend();
        return new ServiceCatalog() {
            @Override
            public List<ComputeBackend> computeBackends() {
                return List.of(backend);
            }
        };
    }
}
