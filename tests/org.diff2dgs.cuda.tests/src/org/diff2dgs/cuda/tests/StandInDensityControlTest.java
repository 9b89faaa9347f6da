package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

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
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;
import org.diff2dgs.cuda.internal.driver.FatbinSource;
import org.diff2dgs.cuda.internal.session.CudaTrainingBackend;
import org.diff2dgs.cuda.internal.session.DeviceParameter;
import org.diff2dgs.cuda.internal.session.SessionMemory;
import org.diff2dgs.cuda.internal.train.DensifyKernels;
import org.diff2dgs.train.api.DensifyResult;
import org.diff2dgs.train.api.SessionSpec;
import org.diff2dgs.train.api.SessionState;
import org.diff2dgs.train.api.TrainOptions;
import org.diff2dgs.train.api.TrainingSession;
import org.junit.jupiter.api.Test;

/**
 * A density control's memory and results on the CPU stand-in driver (mock/stand_in_driver.c, which runs the density
 * control's kernels but the split children's placement): the six learnable tensors of a CUDA training session (SH
 * degree 3, 17 time bases) swapped to a new row set through {@link DeviceParameter#reindex}, and a whole scaled-down
 * CUDA training session's {@link TrainingSession#densifyAndPrune}, with the peak of our allocations as the context
 * tracks it (the measure of the capacity bench row) against {@link SessionMemory}'s prediction, and every tensor
 * against a host gather of the same rows.
 */
class StandInDensityControlTest {

    private static final int SH_FLOATS = 3 * 16;
    /** Positions, rotations, log-scales, opacity logits, SH, deformation (9 channels x 3 x 17 bases). */
    private static final int[] WIDTHS = {3, 4, 2, 1, SH_FLOATS, 9 * 3 * 17};
    private static final int SURFELS = 3000;

    private static FatbinSource kernels() {
        return CudaContext.class.getResource("/fatbin/modules.txt") != null ? FatbinSource.bundled()
                : FatbinSource.folder(CudaBundleFiles.bundle().resolve("fatbin"));
    }

    @Test
    void growingDensityControlNeedsNoMemoryBeyondTheNewSet() {
        // a tenth pruned, a third cloned: 3000 -> about 3700 rows
        check(new SplittableRandom(31), 0.1, 0.33);
    }

    @Test
    void shrinkingDensityControlNeedsNoMemoryBeyondTheOldSet() {
        // four tenths pruned, a twentieth cloned: 3000 -> about 1950 rows
        check(new SplittableRandom(32), 0.4, 0.05);
    }

    private static void check(SplittableRandom r, double pruned, double cloned) {
        assumeTrue(System.getenv("D2DGS_CUDA_STAND_IN") != null, "runs in the stand-in driver's test JVM only");
        // the row map as densify_map writes it: survivors in index order, then clones (kind -1 survivor, -2 clone)
        List<Integer> survivors = new ArrayList<>();
        List<Integer> clones = new ArrayList<>();
        for (int i = 0; i < SURFELS; i++) {
            if (r.nextDouble() >= pruned) {
                survivors.add(i);
            }
            if (r.nextDouble() < cloned) {
                clones.add(i);
            }
        }
        int rows = survivors.size() + clones.size();
        int[] source = sources(survivors, clones);
        int[] kind = kinds(survivors, clones);
        SessionMemory memory = new SessionMemory(0, 1, 1, WIDTHS, SH_FLOATS, 0);
        try (CudaContext cuda = CudaContext.open(kernels())) {
            DensifyKernels densify = new DensifyKernels(cuda);
            DeviceBuffer sourceBuffer = cuda.upload(source, "row sources");
            DeviceBuffer kindBuffer = cuda.upload(kind, "row kinds");
            long beforeTensors = cuda.allocatedBytes();
            List<DeviceParameter> parameters = new ArrayList<>();
            List<float[][]> host = new ArrayList<>();
            for (int k = 0; k < WIDTHS.length; k++) {
                String name = "tensor" + k;
                int count = SURFELS * WIDTHS[k];
                float[] values = random(r, count);
                float[] m = random(r, count);
                float[] v = random(r, count);
                Map<String, float[]> state = new HashMap<>();
                state.put(name + ".exp_avg", m);
                state.put(name + ".exp_avg_sq", v);
                state.put(name + ".step", new float[] {7});
                state.put(name + ".lr", new float[] {1e-3f, 0f});
                float[] columnScale = WIDTHS[k] == SH_FLOATS ? random(r, SH_FLOATS) : null;
                parameters.add(new DeviceParameter(cuda, name, SURFELS, WIDTHS[k], values, 1e-3, columnScale, state));
                host.add(new float[][] {values, m, v});
            }
            assertEquals(memory.learnableBytes(SURFELS), cuda.allocatedBytes() - beforeTensors);
            try (DensifyKernels.Plan plan = new DensifyKernels.Plan(SURFELS, rows, survivors.size(), clones.size(), 0,
                    clones.size(), 0, sourceBuffer, kindBuffer)) {
                cuda.synchronize();
                cuda.resetPeak();
                for (DeviceParameter p : parameters) {
                    p.reindex(densify, plan);
                }
                long peak = cuda.peakAllocatedBytes() - beforeTensors;
                long larger = memory.learnableBytes(Math.max(SURFELS, rows));
                assertEquals(memory.learnableSwapPeak(SURFELS, rows, false), peak, "predicted swap peak");
                assertTrue(peak <= larger, "swap peak " + peak + " above the larger set's " + larger);
                // the order before (four new tensors beside four old) would not meet that bound
                assertTrue(memory.learnableSwapPeak(SURFELS, rows, true) > larger + 4L * WIDTHS[5] * Math.min(SURFELS,
                        rows), "the beside order's peak");
                assertEquals(memory.learnableBytes(rows), cuda.allocatedBytes() - beforeTensors, "after the swap");
            }
            for (int k = 0; k < WIDTHS.length; k++) {
                DeviceParameter p = parameters.get(k);
                int w = WIDTHS[k];
                assertEquals(rows, p.rows());
                assertArrayEquals(gather(host.get(k)[0], w, source, kind, false), p.download(p.values()), "values " + k);
                assertArrayEquals(gather(host.get(k)[1], w, source, kind, true), p.download(p.firstMoment()),
                        "first moment " + k);
                assertArrayEquals(gather(host.get(k)[2], w, source, kind, true), p.download(p.secondMoment()),
                        "second moment " + k);
                assertArrayEquals(new float[rows * w], p.download(p.gradient()), "gradient " + k);
                p.close();
            }
        }
    }

    /**
     * A CUDA training session of 2000 surfels on five 32x24 training frames with depth and masks, density
     * statistics and Adam state as a checkpoint restores them: a tenth of the surfels transparent (pruned), a third
     * hot and small (cloned), none split. No iteration runs (the stand-in has no rasterizer), so the session holds
     * what it opened with: its prediction is checked, then the density control's peak and result.
     */
    @Test
    void sessionDensityControlPeaksAtTheLargerSurfelSet() {
        assumeTrue(System.getenv("D2DGS_CUDA_STAND_IN") != null, "runs in the stand-in driver's test JVM only");
        if (CudaContext.class.getResource("/fatbin/modules.txt") == null) {
            System.setProperty(FatbinSource.DIR_PROPERTY, CudaBundleFiles.bundle().resolve("fatbin").toString());
        }
        SplittableRandom r = new SplittableRandom(33);
        int n = 2000;
        int w = 32;
        int h = 24;
        // a cap the stand-in's 256 MiB hold (the session checks its peak at the cap before it allocates)
        TrainOptions options = TrainOptions.published().with(Map.of("maxSurfels", 4000));
        double threshold = options.densifyGradThreshold();
        float[] positions = random(r, 3 * n);
        float[] rotations = random(r, 4 * n);
        float[] logScales = new float[2 * n];
        float[] logits = new float[n];
        float[] sums = new float[n];
        float[] visible = new float[n];
        float[] radii = new float[n];
        List<Integer> survivors = new ArrayList<>();
        List<Integer> clones = new ArrayList<>();
        int hotCount = 0;
        for (int i = 0; i < n; i++) {
            logScales[2 * i] = (float) (-6 - r.nextDouble());
            logScales[2 * i + 1] = (float) (-6 - r.nextDouble());
            boolean transparent = r.nextDouble() < 0.1;
            boolean hot = r.nextDouble() < 1.0 / 3;
            logits[i] = transparent ? -9f : (float) (-2 + 5 * r.nextDouble());
            visible[i] = 1 + r.nextInt(5);
            sums[i] = (float) (visible[i] * threshold * (hot ? 2 + r.nextDouble() : 0.5 * r.nextDouble()));
            radii[i] = 1 + r.nextInt(10);
            hotCount += hot ? 1 : 0;
            if (!transparent) {
                survivors.add(i);
                if (hot) {
                    clones.add(i);
                }
            }
        }
        int rows = survivors.size() + clones.size();
        float[] sh = random(r, SH_FLOATS * n);
        float[] coefs = random(r, WIDTHS[5] * n);
        String[] names = {SessionState.POSITIONS, SessionState.ROTATIONS, SessionState.LOG_SCALES,
            SessionState.OPACITY_LOGITS, SessionState.SH, COEFFICIENTS};
        float[][] values = {positions, rotations, logScales, logits, sh, coefs};
        Map<String, float[]> optimizer = new HashMap<>();
        for (int k = 0; k < names.length; k++) {
            optimizer.put(names[k] + ".exp_avg", random(r, values[k].length));
            optimizer.put(names[k] + ".exp_avg_sq", random(r, values[k].length));
            optimizer.put(names[k] + ".step", new float[] {11});
        }
        GaussianModel model = new GaussianModel(n, 3, positions, rotations, logScales, logits, sh);
        SessionState start = new SessionState(model, Map.of(COEFFICIENTS, coefs), optimizer,
                Map.of(SessionState.GRADIENT_SUM, sums, SessionState.VISIBLE_COUNT, visible,
                        SessionState.MAX_RADIUS, radii));
        int frames = 6;
        SessionSpec spec = spec(r, w, h, frames, options, start);
        // every training frame: image, depth and a one-channel loss mask
        SessionMemory memory = new SessionMemory(5L * spec.trainFrames().length, w, h, WIDTHS, SH_FLOATS, 0);
        try (CudaContext cuda = CudaContext.open(kernels())) {
            long base = cuda.allocatedBytes();
            try (TrainingSession session = CudaTrainingBackend.openOn(cuda, spec)) {
                long opened = cuda.allocatedBytes() - base;
                assertEquals(memory.openBytes(n), opened, "what the session holds after it opened");
                long held = opened - memory.learnableBytes(n) - SessionMemory.surfelBufferBytes(n);
                cuda.resetPeak();
                DensifyResult result = session.densifyAndPrune(false, 5);
                // as the Densifier counts: every clone made, and the rows the prune dropped of the grown set
                assertEquals(new DensifyResult(rows, hotCount, 0, n + hotCount - rows), result);
                long peak = cuda.peakAllocatedBytes() - base;
                assertEquals(memory.densityControlPeak(held, n, rows, false), peak, "predicted density control peak");
                long larger = held + memory.learnableBytes(Math.max(n, rows))
                        + SessionMemory.surfelBufferBytes(Math.max(n, rows)) + SessionMemory.planScratchBytes(n)
                        + SessionMemory.rowMapBytes(rows);
                assertTrue(peak <= larger, "peak " + peak + " above the larger set's " + larger);
                assertTrue(memory.densityControlPeak(held, n, rows, true) > larger, "the order before");
                assertEquals(memory.openBytes(rows), cuda.allocatedBytes() - base, "after the density control");

                SessionState after = session.state();
                int[] source = sources(survivors, clones);
                int[] kind = kinds(survivors, clones);
                GaussianModel m = after.model();
                float[][] got = {m.positions(), m.rotations(), m.logScales(), m.opacityLogits(), m.sh(),
                    after.deformation().get(COEFFICIENTS)};
                for (int k = 0; k < names.length; k++) {
                    int width = WIDTHS[k];
                    assertArrayEquals(gather(values[k], width, source, kind, false), got[k], names[k]);
                    assertArrayEquals(gather(optimizer.get(names[k] + ".exp_avg"), width, source, kind, true),
                            after.optimizer().get(names[k] + ".exp_avg"), names[k] + " first moment");
                    assertArrayEquals(gather(optimizer.get(names[k] + ".exp_avg_sq"), width, source, kind, true),
                            after.optimizer().get(names[k] + ".exp_avg_sq"), names[k] + " second moment");
                    assertEquals(11f, after.optimizer().get(names[k] + ".step")[0], names[k] + " step");
                }
                assertArrayEquals(new float[rows], after.statistics().get(SessionState.GRADIENT_SUM));
                assertArrayEquals(new float[rows], after.statistics().get(SessionState.VISIBLE_COUNT));
            }
            assertEquals(base, cuda.allocatedBytes(), "the session frees everything");
        }
    }

    private static final String COEFFICIENTS = "deformation.coefs";

    /** A clip of textured frames with depth and a loss mask; every seventh frame held out. */
    private static SessionSpec spec(SplittableRandom r, int w, int h, int frames, TrainOptions options,
            SessionState start) {
        Camera camera = new Camera(new Intrinsics(30, 30, w / 2.0, h / 2.0, w, h), Pose.identity(), 0.03, 250);
        List<Frame> list = new ArrayList<>();
        FloatImage[] masks = new FloatImage[frames];
        List<Integer> train = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            float[] mask = new float[w * h];
            for (int p = 0; p < mask.length; p++) {
                mask[p] = r.nextDouble() < 0.8 ? 1f : 0f;
            }
            masks[i] = new FloatImage(w, h, 1, mask);
            float[] depth = new float[w * h];
            for (int p = 0; p < depth.length; p++) {
                depth[p] = (float) (1 + r.nextDouble());
            }
            list.add(new Frame(i, i / (frames - 1.0), "f" + i, camera, new FloatImage(w, h, 3, random(r, 3 * w * h)),
                    new FloatImage(w, h, 1, depth), null, null, null));
            if (i % 7 != 3) {
                train.add(i);
            }
        }
        int[] trainFrames = train.stream().mapToInt(Integer::intValue).toArray();
        int[] test = {3};
        Sequence seq = new Sequence("stand-in", Path.of("stand-in"), list, new Split("stand-in", trainFrames, test),
                new DatasetInfo("test", "opencv", "none", 1, new double[] {0.03, 250}, Map.of(), List.of(), false));
        return new SessionSpec(seq, trainFrames, masks, options, start, NamedDeformationModel.of("gaussian-basis"),
                1.0);
    }

    private static float[] gather(float[] old, int width, int[] source, int[] kind, boolean zeroFresh) {
        float[] out = new float[source.length * width];
        for (int j = 0; j < source.length; j++) {
            for (int c = 0; c < width; c++) {
                out[j * width + c] = zeroFresh && kind[j] != -1 ? 0f : old[source[j] * width + c];
            }
        }
        return out;
    }

    private static float[] random(SplittableRandom r, int count) {
        float[] a = new float[count];
        for (int i = 0; i < count; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }

    /** The surfel each row of the new set comes from: the survivors in order, then the clones. */
    private static int[] sources(List<Integer> survivors, List<Integer> clones) {
        int[] source = new int[survivors.size() + clones.size()];
        for (int j = 0; j < source.length; j++) {
            source[j] = j < survivors.size() ? survivors.get(j) : clones.get(j - survivors.size());
        }
        return source;
    }

    /** Each row's kind as the density control's gather reads it: -1 a survivor, -2 a clone. */
    private static int[] kinds(List<Integer> survivors, List<Integer> clones) {
        int[] kind = new int[survivors.size() + clones.size()];
        for (int j = 0; j < kind.length; j++) {
            kind[j] = j < survivors.size() ? -1 : -2;
        }
        return kind;
    }
}
