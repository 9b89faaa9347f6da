package org.diff2dgs.cuda.internal.parity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.DatasetReader;
import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.api.EvaluationProtocol;
import org.diff2dgs.core.api.Inpainter;
import org.diff2dgs.core.api.Metric;
import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.core.api.SceneGenerator;
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
final class SessionParityCheck {

    private static final int W = 64;
    private static final int H = 48;
    private static final int FRAMES = 6;
    private static final int SURFELS = 3_000;
    private static final int ITERATIONS = 50;
    private static final double EXTENT = 1.0;
    private static final double TOLERANCE = 1e-3;

    private SessionParityCheck() {
    }

    static List<KernelCheck> all() {
        return List.of(ParityCase.check("session " + ITERATIONS + " iterations cpu vs cuda " + SURFELS + " surfels "
                + W + "x" + H, TOLERANCE, SessionParityCheck::run));
    }

    private static Outcome run(CudaContext cuda, SplittableRandom r) {
        SessionSpec spec = spec(r);
        ServiceCatalog catalog = cpuOnly();
        DepthWeightSchedule cpuWeights = new DepthWeightSchedule(DepthWeightSchedule.Options.diff2dgs());
        DepthWeightSchedule gpuWeights = new DepthWeightSchedule(DepthWeightSchedule.Options.diff2dgs());
        long seed = r.nextLong();
        Worst worst = new Worst();
        String densified = "";
        try (TrainingSession cpu = new CpuTrainingBackend(catalog).open(spec);
                TrainingSession gpu = CudaTrainingBackend.openOn(cuda, spec)) {
            for (int it = 1; it <= ITERATIONS; it++) {
                IterationPlan cpuPlan = plan(it, spec, cpuWeights);
                IterationPlan gpuPlan = plan(it, spec, gpuWeights);
                IterationResult a = cpu.iterate(cpuPlan);
                IterationResult b = gpu.iterate(gpuPlan);
                worst.scalar("loss at " + it, b.loss(), a.loss());
                worst.scalar("L1 at " + it, b.l1(), a.l1());
                worst.scalar("PSNR at " + it, b.psnr(), a.psnr());
                worst.scalar("depth weight at " + it, b.depthWeight(), a.depthWeight());
                if (it == 30) {
                    DensifyResult dc = cpu.densifyAndPrune(false, seed);
                    DensifyResult dg = gpu.densifyAndPrune(false, seed);
                    densified = String.format(Locale.ROOT, "densify cpu %s gpu %s", dc, dg);
                    if (!dc.equals(dg)) {
                        worst.scalar("densify counts", Double.NaN, 0);
                    }
                }
                if (it == 40) {
                    cpu.resetOpacity();
                    gpu.resetOpacity();
                }
            }
            compare(worst, cpu.state(), gpu.state());
        }
        return worst.outcome(densified);
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
                (l1, depth) -> weights.weight(it, ITERATIONS, l1, depth), it != 30, true);
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
            public List<DatasetReader> datasetReaders() {
                return List.of();
            }

            @Override
            public List<SceneGenerator> sceneGenerators() {
                return List.of();
            }

            @Override
            public List<DeformationModel> deformationModels() {
                return List.of();
            }

            @Override
            public List<Metric> metrics() {
                return List.of();
            }

            @Override
            public List<EvaluationProtocol> evaluationProtocols() {
                return List.of();
            }

            @Override
            public List<Inpainter> inpainters() {
                return List.of();
            }

            @Override
            public List<ComputeBackend> computeBackends() {
                return List.of(backend);
            }
        };
    }
}
