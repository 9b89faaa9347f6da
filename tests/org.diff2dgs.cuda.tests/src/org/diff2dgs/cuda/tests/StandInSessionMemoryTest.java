package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
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
import org.diff2dgs.cuda.internal.driver.CudaOutOfMemoryException;
import org.diff2dgs.cuda.internal.driver.FatbinSource;
import org.diff2dgs.cuda.internal.session.CudaTrainingBackend;
import org.diff2dgs.cuda.internal.session.SessionMemory;
import org.diff2dgs.train.api.DensifyResult;
import org.diff2dgs.train.api.MemoryNeeds;
import org.diff2dgs.train.api.SessionSize;
import org.diff2dgs.train.api.SessionSpec;
import org.diff2dgs.train.api.SessionState;
import org.diff2dgs.train.api.TrainOptions;
import org.diff2dgs.train.api.TrainingSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend's one memory model on the CPU stand-in driver (mock/stand_in_driver.c): the figure the check before
 * training states ({@link CudaTrainingBackend#memoryNeeds}, the device pool's total) is {@link SessionMemory}'s peak at
 * the surfel cap, the same figure the session checks when it opens; on scaled-down sessions it equals the peak of our
 * allocations the context measures at a density control at the cap, plus what only an iteration allocates (the
 * rasterizer's buffers and the losses' work planes: the stand-in runs no rasterizer; the capacity bench row measures
 * those on the device). A session whose figure exceeds the free memory is refused before it allocates anything.
 */
class StandInSessionMemoryTest {

    private static final String MODEL = "gaussian-basis";
    /** The Gaussian-basis deformation tensor: 9 channels x 3 x 17 bases per surfel. */
    private static final int DEFORMATION_WIDTH = 9 * 3 * 17;

    @BeforeAll
    static void kernels() {
        assumeTrue(System.getenv("D2DGS_CUDA_STAND_IN") != null, "runs in the stand-in driver's test JVM only");
        if (CudaContext.class.getResource("/fatbin/modules.txt") == null) {
            System.setProperty(FatbinSource.DIR_PROPERTY, CudaBundleFiles.bundle().resolve("fatbin").toString());
        }
    }

    /** SH degree 3, six 32x24 frames with depth and instrument masks, on the source frames (instruments masked). */
    @Test
    void checkedFigureIsTheMeasuredPeakWithDepthAndMasks() {
        checkAtCap(new SplittableRandom(41), 1500, 3, 6, 32, 24, true, true);
    }

    /** SH degree 1, nine 40x30 frames without depth, inpainted (instrument masks present but not used). */
    @Test
    void checkedFigureIsTheMeasuredPeakWithoutDepthOrLossMasks() {
        checkAtCap(new SplittableRandom(42), 1200, 1, 9, 40, 30, false, false);
    }

    private static void checkAtCap(SplittableRandom r, int cap, int shDegree, int frames, int w, int h,
            boolean depth, boolean masked) {
        TrainOptions options = TrainOptions.published().with(Map.of("maxSurfels", cap, "shDegree", shDegree));
        Clip clip = clip(r, frames, w, h, depth, masked);
        // a session at its cap whose density control keeps every row: opaque surfels, no statistics (no candidate)
        SessionSpec spec = spec(clip, options, start(r, cap, shDegree));
        SessionSize size = size(clip, options, shDegree, masked);

        MemoryNeeds needs = new CudaTrainingBackend().memoryNeeds(size).orElseThrow();
        MemoryNeeds.Pool device = needs.device();
        long figure = device.total();
        assertTrue(device.limitBytes() > figure, "the stand-in has room: " + device.limitBytes() + " free");
        assertEquals(figure, device.parts().values().stream().mapToLong(Long::longValue).sum(), "parts add up");
        SessionMemory memory = SessionMemory.of(spec, DEFORMATION_WIDTH);
        assertEquals(figure, memory.peakAtCap(cap), "the session's own figure is the check's");
        assertEquals(cap, device.surfelsThatFit(figure), "the advice inverts the figure");

        try (CudaContext cuda = CudaContext.open()) {
            long base = cuda.allocatedBytes();
            cuda.resetPeak();
            try (TrainingSession session = CudaTrainingBackend.openOn(cuda, spec)) {
                assertEquals(memory.openBytes(cap), cuda.allocatedBytes() - base, "what the session opened with");
                DensifyResult d = session.densifyAndPrune(false, 7);
                assertEquals(cap, d.surfels(), "every row kept, none added at the cap");
                long measured = cuda.peakAllocatedBytes() - base;
                assertEquals(figure, measured + memory.firstIterationBytes(cap),
                        "the figure against the measured peak and what an iteration adds");
            }
            assertEquals(base, cuda.allocatedBytes(), "the session frees everything");
        }
    }

    /**
     * A cap whose predicted peak (about 360 MB) exceeds the stand-in's 256 MiB: the check before training would refuse
     * it, and the session itself refuses before allocating, saying what it asked and what was free; with the memory
     * check off the same small session opens (the check, not an allocation, refused it).
     */
    @Test
    void aSessionWhosePeakExceedsTheFreeMemoryIsRefusedBeforeAnyAllocation() {
        SplittableRandom r = new SplittableRandom(43);
        int cap = 40_000;
        TrainOptions options = TrainOptions.published().with(Map.of("maxSurfels", cap));
        Clip clip = clip(r, 4, 32, 24, true, true);
        SessionSpec spec = spec(clip, options, start(r, 500, 3));
        long figure = SessionMemory.of(spec, DEFORMATION_WIDTH).peakAtCap(cap);

        MemoryNeeds.Pool device = new CudaTrainingBackend().memoryNeeds(size(clip, options, 3, true)).orElseThrow()
                .device();
        assertEquals(figure, device.total());
        assertTrue(device.total() > device.limitBytes(), device.total() + " against " + device.limitBytes() + " free");

        try (CudaContext cuda = CudaContext.open()) {
            long base = cuda.allocatedBytes();
            cuda.resetPeak();
            long free = cuda.freeBytes();
            CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class,
                    () -> CudaTrainingBackend.openOn(cuda, spec));
            assertEquals(base, cuda.peakAllocatedBytes(), "nothing allocated, not even for a moment");
            assertEquals(figure, e.bytesAsked());
            assertEquals(free, e.freeBytes());
            String m = e.getMessage();
            // four frames, one held out: three on the device
            assertTrue(m.contains("training session of 3 frames 32x24 at the surfel cap of 40,000")
                    && m.contains("asked") && m.contains(figure + " bytes") && m.contains("free "), m);

            System.setProperty(MemoryNeeds.CHECK_PROPERTY, "off");
            try (TrainingSession session = CudaTrainingBackend.openOn(cuda, spec)) {
                assertEquals(SessionMemory.of(spec, DEFORMATION_WIDTH).openBytes(500), cuda.allocatedBytes() - base);
            } finally {
                System.clearProperty(MemoryNeeds.CHECK_PROPERTY);
            }
        }
    }

    /** A clip and the loss masks the trainer would give it. */
    private record Clip(Sequence sequence, FloatImage[] lossMasks) {
    }

    /** Textured frames, every fourth held out; instrument masks on every frame, loss masks from them when masked. */
    private static Clip clip(SplittableRandom r, int frames, int w, int h, boolean depth, boolean masked) {
        Camera camera = new Camera(new Intrinsics(30, 30, w / 2.0, h / 2.0, w, h), Pose.identity(), 0.03, 250);
        List<Frame> list = new ArrayList<>();
        FloatImage[] lossMasks = new FloatImage[frames];
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            float[] instrument = new float[w * h];
            float[] tissue = new float[w * h];
            for (int p = 0; p < instrument.length; p++) {
                instrument[p] = r.nextDouble() < 0.2 ? 1f : 0f;
                tissue[p] = 1f - instrument[p];
            }
            float[] d = new float[w * h];
            for (int p = 0; p < d.length; p++) {
                d[p] = (float) (1 + r.nextDouble());
            }
            list.add(new Frame(i, i / (frames - 1.0), "f" + i, camera, new FloatImage(w, h, 3, random(r, 3 * w * h)),
                    depth ? new FloatImage(w, h, 1, d) : null, new FloatImage(w, h, 1, instrument), null, null));
            lossMasks[i] = masked ? new FloatImage(w, h, 1, tissue) : null;
            (i % 4 == 1 ? test : train).add(i);
        }
        Split split = new Split("stand-in", train.stream().mapToInt(Integer::intValue).toArray(),
                test.stream().mapToInt(Integer::intValue).toArray());
        Sequence seq = new Sequence("stand-in", Path.of("stand-in"), list, split,
                new DatasetInfo("test", "opencv", "none", 1, new double[] {0.03, 250}, Map.of(), List.of(), false));
        return new Clip(seq, lossMasks);
    }

    private static SessionSpec spec(Clip clip, TrainOptions options, SessionState start) {
        return new SessionSpec(clip.sequence(), clip.sequence().split().train(), clip.lossMasks(), options, start,
                NamedDeformationModel.of(MODEL), 1.0);
    }

    /** As the check before training sizes the run: the learnable floats per surfel of the model and SH degree. */
    private static SessionSize size(Clip clip, TrainOptions options, int shDegree, boolean masked) {
        long floats = 10 + 3L * GaussianModel.shCoefficients(shDegree) + DEFORMATION_WIDTH;
        return new SessionSize(clip.sequence(), options, NamedDeformationModel.of(MODEL), floats, 0, masked);
    }

    /** {@code n} opaque, small surfels with random tensors and no optimizer state or statistics (a fresh start). */
    private static SessionState start(SplittableRandom r, int n, int shDegree) {
        int k = GaussianModel.shCoefficients(shDegree);
        float[] logScales = new float[2 * n];
        float[] logits = new float[n];
        for (int i = 0; i < n; i++) {
            logScales[2 * i] = (float) (-6 - r.nextDouble());
            logScales[2 * i + 1] = (float) (-6 - r.nextDouble());
            logits[i] = (float) (2 + 2 * r.nextDouble());
        }
        GaussianModel model = new GaussianModel(n, shDegree, random(r, 3 * n), random(r, 4 * n), logScales, logits,
                random(r, 3 * k * n));
        return new SessionState(model, Map.of("deformation.coefs", random(r, DEFORMATION_WIDTH * n)), Map.of(),
                Map.of());
    }

    private static float[] random(SplittableRandom r, int count) {
        float[] a = new float[count];
        for (int i = 0; i < count; i++) {
            a[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }
}
