package org.diff2dgs.train.internal;

import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.StageOutOfMemoryError;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.ByteSize;
import org.diff2dgs.core.io.DiskSpace;
import org.diff2dgs.train.api.TrainOptions;
import org.diff2dgs.train.api.TrainRequest;

/**
 * Checks before training that the run can finish on this machine: the Java heap must hold the
 * {@link MemoryEstimate} at the surfel cap (else the run is refused with the estimate and what would fit), and the
 * disk should hold the checkpoints kept (else a warning with the sizes). Both estimates are printed.
 */
final class Preflight {

    /** {@code -Dd2dgs.memoryCheck=off} (in D2DGS_VMARGS) trains even when the estimate exceeds the heap. */
    static final String MEMORY_CHECK_PROPERTY = "d2dgs.memoryCheck";

    private Preflight() {
    }

    static void check(TrainRequest request, DeformationModel model, Progress progress, long maxHeap) {
        TrainOptions o = request.options();
        ParameterSizes sizes = ParameterSizes.of(model, o.shDegree(), o.seed());
        MemoryEstimate memory = MemoryEstimate.of(request.sequence(), o.maxSurfels(), sizes);
        progress.note("memory: needs " + memory.describe() + "; the heap limit is " + ByteSize.format(maxHeap));
        if (memory.total() > maxHeap && !"off".equals(System.getProperty(MEMORY_CHECK_PROPERTY))) {
            int fits = memory.surfelsThatFit(maxHeap);
            throw new UserInputException("training needs " + memory.describe() + ", more than the Java heap limit of "
                    + ByteSize.format(maxHeap) + ": give the JVM more heap (D2DGS_VMARGS=-Xmx"
                    + StageOutOfMemoryError.suggestedGigabytes(Math.max(maxHeap, memory.total())) + "g)"
                    + (fits >= 1000 ? " or lower the surfel cap (--set maxSurfels=" + roundDown(fits) + " fits)"
                            : " or use a smaller scene (fewer or smaller frames)"));
        }
        checkpointSpace(request, sizes, progress);
    }

    private static void checkpointSpace(TrainRequest request, ParameterSizes sizes, Progress progress) {
        int cap = request.options().maxSurfels();
        int keep = request.keepCheckpoints() == 0 ? CheckpointStore.DEFAULT_KEEP : request.keepCheckpoints();
        long perSurfel = sizes.checkpointBytes(1000) / 1000;
        long atCap = sizes.checkpointBytes(cap);
        // the kept checkpoints plus the one being written
        long need = (keep + 1) * atCap;
        long free = DiskSpace.usableBytes(request.checkpoints());
        progress.note("checkpoints: about " + ByteSize.format(perSurfel) + " per surfel, up to " + ByteSize.format(atCap)
                + " each at the surfel cap of " + cap + "; keeping " + keep + " (--keep-checkpoints) needs up to "
                + ByteSize.format(need) + (free >= 0 ? ", " + ByteSize.format(free) + " free" : ""));
        if (free >= 0 && free < need) {
            progress.note("warning: " + request.checkpoints() + " has " + ByteSize.format(free) + " free, less than "
                    + "the " + ByteSize.format(need) + " the checkpoints may take at the surfel cap; free space, "
                    + "keep fewer checkpoints (--keep-checkpoints 1) or lower the cap (--set maxSurfels=N)");
        }
    }

    /** A cap people can type: two significant digits, rounded down. */
    static int roundDown(int n) {
        int step = 1;
        while (n / step >= 100) {
            step *= 10;
        }
        return n / step * step;
    }
}
