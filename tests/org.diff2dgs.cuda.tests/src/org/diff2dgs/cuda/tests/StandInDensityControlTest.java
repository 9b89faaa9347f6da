package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;
import org.diff2dgs.cuda.internal.driver.FatbinSource;
import org.diff2dgs.cuda.internal.session.DeviceParameter;
import org.diff2dgs.cuda.internal.session.SessionMemory;
import org.diff2dgs.cuda.internal.train.DensifyKernels;
import org.junit.jupiter.api.Test;

/**
 * A density control's memory and results on the CPU stand-in driver (mock/stand_in_driver.c, which runs
 * densify_gather): the six learnable tensors of a CUDA training session (SH degree 3, 17 time bases) swapped to a new
 * row set through {@link DeviceParameter#reindex}, with the peak of our allocations as the context tracks it (the
 * measure of the capacity bench row) against {@link SessionMemory}'s prediction, and every gathered tensor against a
 * host gather of the same row map.
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
        int[] source = new int[rows];
        int[] kind = new int[rows];
        for (int j = 0; j < rows; j++) {
            boolean survivor = j < survivors.size();
            source[j] = survivor ? survivors.get(j) : clones.get(j - survivors.size());
            kind[j] = survivor ? -1 : -2;
        }
        SessionMemory memory = new SessionMemory(0, 1, 1, false, 0, WIDTHS, SH_FLOATS, 0);
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
}
