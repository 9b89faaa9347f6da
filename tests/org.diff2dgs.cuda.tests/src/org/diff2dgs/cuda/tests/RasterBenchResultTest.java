package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.diff2dgs.cuda.internal.raster.RasterBench;
import org.diff2dgs.cuda.internal.raster.RasterBench.Result;
import org.junit.jupiter.api.Test;

/** The bench's "forward, sum of the GPU-only stages" row: the forward's GPU-only stages, not the backward's. */
class RasterBenchResultTest {

    private static Result result(Map<String, Double> stages) {
        return new Result(RasterBench.Variant.standard(), 100_000, 640, 512, 367_287, 0.4, 0.9, 0.1, stages, 0L, 0,
                2, null);
    }

    @Test
    void sumsTheForwardsGpuOnlyStagesOnly() {
        SplittableRandom r = new SplittableRandom(20261207);
        Map<String, Double> stages = new LinkedHashMap<>();
        String[] forward = {"project_forward", "depth sort", "tile count scan", "binning_pairs", "tile sort",
            "binning_tile_order", "fwd_render", "entry count check"};
        double want = 0;
        for (String s : forward) {
            stages.put(s, 1 + r.nextDouble());  // the marked run with the host's launches: not summed
        }
        stages.put("bwd_render", 2 + r.nextDouble());
        for (String s : forward) {
            double ms = r.nextDouble();
            stages.put(s + RasterBench.GPU_ONLY, ms);
            want += ms;
        }
        stages.put("bwd_render" + RasterBench.GPU_ONLY, 5 + r.nextDouble());
        stages.put("project_backward" + RasterBench.GPU_ONLY, 5 + r.nextDouble());
        assertEquals(want, result(stages).forwardGpuOnlyMs(), 1e-12);
    }

    @Test
    void noGpuOnlyStagesIsNotANumber() {
        Map<String, Double> stages = new LinkedHashMap<>();
        stages.put("fwd_render", 0.2);
        assertTrue(Double.isNaN(result(stages).forwardGpuOnlyMs()));
    }
}
