package org.diff2dgs.train.internal;

import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.StageOutOfMemoryError;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.ByteSize;
import org.diff2dgs.core.io.DiskSpace;
import org.diff2dgs.train.api.MemoryNeeds;
import org.diff2dgs.train.api.SessionSize;
import org.diff2dgs.train.api.TrainOptions;
import org.diff2dgs.train.api.TrainRequest;
import org.diff2dgs.train.api.TrainingBackend;

/**
 * Checks before training that the run can finish on this machine with the training backend that will run it: the
 * Java heap must hold the backend's host needs at the surfel cap, and a GPU backend's device memory its device needs
 * (else the run is refused, naming which of the two is short, with the estimate and what would fit); the disk should
 * hold the checkpoints kept (else a warning with the sizes). The estimates are printed.
 */
final class Preflight {

    private Preflight() {
    }

    static void check(TrainRequest request, DeformationModel model, TrainingBackend backend, Progress progress,
            long maxHeap) {
        TrainOptions o = request.options();
        ParameterSizes sizes = ParameterSizes.of(model, o.shDegree(), o.seed());
        MemoryNeeds needs = needs(request, model, backend, sizes);
        MemoryNeeds.Pool host = needs.host();
        MemoryNeeds.Pool device = needs.device();
        progress.note("memory on '" + backend.name() + "': host needs " + host.describe() + "; the heap limit is "
                + ByteSize.format(maxHeap) + (device == null ? "" : "; device needs " + device.describe()
                        + (device.limitBytes() >= 0 ? ", " + ByteSize.format(device.limitBytes()) + " free" : "")));
        boolean checked = MemoryNeeds.checked();
        if (checked && host.total() > maxHeap) {
            int fits = host.surfelsThatFit(maxHeap);
            throw new UserInputException("training on '" + backend.name() + "' needs " + host.describe()
                    + ", more than the Java heap limit of " + ByteSize.format(maxHeap) + " (host memory)"
                    + ": give the JVM more heap (D2DGS_VMARGS=-Xmx"
                    + StageOutOfMemoryError.suggestedGigabytes(Math.max(maxHeap, host.total())) + "g)"
                    + (fits >= 1000 ? " or lower the surfel cap (--set maxSurfels=" + roundDown(fits) + " fits)"
                            : " or use a smaller scene (fewer or smaller frames)"));
        }
        if (checked && device != null && device.limitBytes() >= 0 && device.total() > device.limitBytes()) {
            int fits = device.surfelsThatFit(device.limitBytes());
            throw new UserInputException("training on '" + backend.name() + "' needs " + device.describe()
                    + ", more than the " + ByteSize.format(device.limitBytes()) + " of " + device.place()
                    + " free (device memory, not the Java heap): "
                    + (fits >= 1000 ? "lower the surfel cap (--set maxSurfels=" + roundDown(fits) + " fits), "
                            : "use a smaller scene (fewer or smaller frames), ")
                    + "free the GPU of other work, or train on the CPU (--backend cpu)");
        }
        checkpointSpace(request, sizes, progress);
    }

    /** The backend's own statement, or the CPU session's (all on the heap) when it makes none. */
    static MemoryNeeds needs(TrainRequest request, DeformationModel model, TrainingBackend backend,
            ParameterSizes sizes) {
        SessionSize size = new SessionSize(request.sequence(), request.options(), model, sizes.perSurfel(),
                sizes.shared(), request.masksInstruments());
        return backend.memoryNeeds(size).orElseGet(() -> MemoryEstimate.of(size).needs());
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
