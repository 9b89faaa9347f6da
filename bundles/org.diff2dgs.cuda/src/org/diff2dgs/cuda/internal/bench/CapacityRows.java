package org.diff2dgs.cuda.internal.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.diff2dgs.core.api.BenchOptions;
import org.diff2dgs.core.api.BenchRow;
import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.core.api.SurfelBatch;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.DatasetInfo;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.core.model.Split;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.raster.TissueScene;
import org.diff2dgs.cuda.internal.session.CudaTrainingBackend;
import org.diff2dgs.cuda.internal.session.SessionMemory;
import org.diff2dgs.deform.internal.GaussianBasisModel;
import org.diff2dgs.train.api.DensifyResult;
import org.diff2dgs.train.api.IterationPlan;
import org.diff2dgs.train.api.SessionSpec;
import org.diff2dgs.train.api.SessionState;
import org.diff2dgs.train.api.TrainOptions;
import org.diff2dgs.train.api.TrainingSession;
import org.diff2dgs.train.sh.SphericalHarmonics;

/**
 * The capacity target as a bench row: a 156-frame 640x512 clip (EndoNeRF's longest) and one million surfels
 * (SH degree 3, Gaussian-basis deformation) in one CUDA training session, every loss term on, a few iterations and one
 * density control (it swaps every per-surfel tensor), and the peak device memory of it all beside SessionMemory's
 * prediction of it (the model the check before training uses).
 * The clip is synthetic and in memory (a textured surface with depth and an instrument band), so the row needs no
 * files; the surfels are the rasterizer benchmark's tissue-like cover.
 */
public final class CapacityRows {

    static final int FRAMES = 156;
    static final int WIDTH = 640;
    static final int HEIGHT = 512;
    static final int SURFELS = 1_000_000;
    static final int ITERATIONS = 10;
    /** The target of issue 10: the clip and the surfels fit in 16 GB (16e9 bytes, 14.90 GiB) of GPU memory. */
    static final double TARGET_GIB = 16e9 / (1024.0 * 1024 * 1024);
    private static final double GIB = 1024.0 * 1024 * 1024;

    private CapacityRows() {
    }

    /**
     * Runs last in the bench: it resets the context's peak counter to measure the session alone, and samples the
     * driver's count with its own sampler.
     */
    public static List<BenchRow> measure(CudaContext cuda, BenchOptions options) {
        MemorySampler memory = new MemorySampler(cuda);
        String what = String.format(Locale.ROOT, "peak device memory, training session: %d frames %dx%d + %,d surfels",
                FRAMES, WIDTH, HEIGHT, SURFELS);
        String rate = String.format(Locale.ROOT, "training iteration at %,d surfels %dx%d (all loss terms)", SURFELS,
                WIDTH, HEIGHT);
        List<BenchRow> rows = new ArrayList<>();
        cuda.synchronize();
        cuda.resetPeak();
        long base = cuda.allocatedBytes();
        try {
            SessionSpec spec = spec(new SplittableRandom(options.seed()));
            try (TrainingSession session = CudaTrainingBackend.openOn(cuda, spec)) {
                session.iterate(plan(1, spec));
                long t0 = System.nanoTime();
                for (int it = 2; it <= ITERATIONS; it++) {
                    session.iterate(plan(it, spec));
                }
                double ms = (System.nanoTime() - t0) / 1e6 / (ITERATIONS - 1);
                memory.sample();
                DensifyResult d = session.densifyAndPrune(false, options.seed());
                session.iterate(plan(ITERATIONS + 1, spec));
                memory.sample();
                long measured = cuda.peakAllocatedBytes() - base;
                double gib = measured / GIB;
                double used = memory.peakUsedBytes() / GIB;
                SessionMemory model = CudaTrainingBackend.memoryOf(session);
                rows.add(new BenchRow("memory", what, gib, "GiB", String.format(Locale.ROOT,
                        "our allocations (%.2f GiB in use per the driver, context included); target 16 GB = %.2f GiB:"
                                + " %s; %,d surfels after one density control; %s", used, TARGET_GIB,
                        Math.max(gib, used) <= TARGET_GIB ? "met" : "NOT met", d.surfels(),
                        predictionBeside(model, spec.options().maxSurfels(), d.surfels(), measured))));
                rows.add(new BenchRow("training", rate, ms, "ms", "wall time per iteration (scalars read back), mean of "
                        + (ITERATIONS - 1)));
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            String why = "failed: " + e.getMessage();
            rows.add(BenchRow.missing("memory", what, "GiB", why));
            rows.add(BenchRow.missing("training", rate, "ms", why));
        }
        return rows;
    }

    /**
     * SessionMemory's prediction beside the measured peak: for this row's own counts (its surfels, the density
     * control's rows, the first frame's entries as rendered) and the figure the session was checked against when it
     * opened (the peak at the cap with {@link SessionMemory#ASSUMED_ENTRIES_PER_SURFEL} entries per surfel).
     */
    static String predictionBeside(SessionMemory model, long cap, long rows, long measured) {
        long predicted = model.peak(SURFELS, rows);
        long atCap = model.withEntries(SessionMemory.assumedEntries(cap)).peakAtCap(cap);
        return String.format(Locale.ROOT, "predicted %.3f GiB (SessionMemory at %,d -> %,d surfels, %,d entries in the"
                + " first frame), measured %.3f GiB (%+.2f %%); the check before opening: %.3f GiB at the cap of %,d",
                predicted / GIB, SURFELS, rows, model.entries(), measured / GIB,
                100.0 * (measured - predicted) / predicted, atCap / GIB, cap);
    }

    private static IterationPlan plan(int it, SessionSpec spec) {
        TrainOptions o = spec.options();
        int[] train = spec.trainFrames();
        return new IterationPlan(it, train[(it * 37) % train.length], 3, o.positionLrInit() * o.spatialScale(),
                o.deformationLrInit() * o.spatialScale(), true, true, (l1, depth) -> 0.5, true, true);
    }

    private static SessionSpec spec(SplittableRandom r) {
        Camera camera = TissueScene.frontCamera(WIDTH, HEIGHT);
        List<Frame> frames = new ArrayList<>();
        FloatImage[] masks = new FloatImage[FRAMES];
        int plane = WIDTH * HEIGHT;
        double f = camera.intrinsics().fx();
        for (int i = 0; i < FRAMES; i++) {
            double t = (double) i / (FRAMES - 1);
            float[] image = new float[3 * plane];
            float[] depth = new float[plane];
            float[] mask = new float[plane];
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    int p = y * WIDTH + x;
                    double u = (x - WIDTH / 2.0) / f;
                    double v = (y - HEIGHT / 2.0) / f;
                    image[p] = (float) (0.55 + 0.25 * Math.sin(40 * u + 3 * t) * Math.cos(31 * v));
                    image[plane + p] = (float) (0.35 + 0.15 * Math.cos(23 * u - 17 * v));
                    image[2 * plane + p] = (float) (0.25 + 0.1 * r.nextDouble());
                    depth[p] = (float) (TissueScene.DEPTH + 0.02 * Math.sin(9 * u + t) * Math.cos(7 * v));
                    boolean instrument = Math.abs(x - (200 + 200 * t) - 0.4 * y) < 30;
                    mask[p] = instrument ? 0f : 1f;
                }
            }
            masks[i] = new FloatImage(WIDTH, HEIGHT, 1, mask);
            frames.add(new Frame(i, t, "f" + i, camera, new FloatImage(WIDTH, HEIGHT, 3, image),
                    new FloatImage(WIDTH, HEIGHT, 1, depth), null, null, null));
        }
        int[] train = new int[FRAMES - FRAMES / 8];
        int[] test = new int[FRAMES / 8];
        for (int i = 0, a = 0, b = 0; i < FRAMES; i++) {
            if (i % 8 == 0 && b < test.length) {
                test[b++] = i;
            } else {
                train[a++] = i;
            }
        }
        DatasetInfo info = new DatasetInfo("capacity", "opencv", "none", 1.0, new double[] {0.03, 250}, Map.of(),
                List.of(), false);
        Sequence seq = new Sequence("capacity", Path.of("capacity"), frames, new Split("capacity", train, test), info);
        GaussianModel model = surfels(r);
        DeformationModel deformation = new GaussianBasisModel();
        DeformationField field = deformation.create(model, 1);
        Map<String, float[]> coefs = new LinkedHashMap<>();
        for (Parameter p : field.parameters()) {
            coefs.put(p.name(), p.value().clone());
        }
        TrainOptions options = TrainOptions.published().with(Map.of("maxSurfels", 1_100_000, "seed", 17));
        return new SessionSpec(seq, train, masks, options, new SessionState(model, coefs, Map.of(), Map.of()),
                deformation, 1.0);
    }

    /** The rasterizer benchmark's surfels, as parameters: log scales, opacity logits, SH from the colours. */
    private static GaussianModel surfels(SplittableRandom r) {
        SurfelBatch b = TissueScene.surfels(SURFELS, WIDTH, HEIGHT, 1.0, r);
        int k = GaussianModel.shCoefficients(3);
        float[] logScales = new float[2 * SURFELS];
        float[] logits = new float[SURFELS];
        float[] sh = new float[3 * k * SURFELS];
        for (int i = 0; i < SURFELS; i++) {
            logScales[2 * i] = (float) Math.log(b.scales()[2 * i]);
            logScales[2 * i + 1] = (float) Math.log(b.scales()[2 * i + 1]);
            double o = Math.min(0.99, Math.max(0.01, b.opacities()[i]));
            logits[i] = (float) Math.log(o / (1 - o));
            for (int c = 0; c < 3; c++) {
                sh[3 * k * i + c] = SphericalHarmonics.dcFromRgb(Math.min(1, Math.max(0, b.colors()[3 * i + c])));
            }
            for (int j = 3; j < 3 * k; j++) {
                sh[3 * k * i + j] = (float) (0.02 * (r.nextDouble() - 0.5));
            }
        }
        return new GaussianModel(SURFELS, 3, b.positions(), b.rotations(), logScales, logits, sh);
    }
}
