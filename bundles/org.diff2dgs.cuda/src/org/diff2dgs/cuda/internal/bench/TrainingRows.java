package org.diff2dgs.cuda.internal.bench;

import java.util.List;

import org.diff2dgs.core.api.BenchOptions;
import org.diff2dgs.core.api.BenchRow;
import org.diff2dgs.cuda.internal.driver.CudaContext;

/**
 * Training rows of d2dgs bench: iterations per second of the CUDA training session and the wall time of the full
 * published schedule (3000 iterations on the built-in full-size scene, 640x512, 96 frames, seed 6666). Until the
 * bundle has a CUDA training session each row says so.
 */
public final class TrainingRows {

    public static final String MISSING = "not yet: CUDA training session missing";

    private TrainingRows() {
    }

    public static List<BenchRow> measure(CudaContext cuda, BenchOptions options, MemorySampler memory) {
        if (!options.training()) {
            return List.of();
        }
        return List.of(BenchRow.missing("training", "iterations per second (built-in scene 640x512)", "it/s", MISSING),
                BenchRow.missing("training", "full published schedule, train stage (3000 iterations, 96 frames)",
                        "s", MISSING));
    }
}
