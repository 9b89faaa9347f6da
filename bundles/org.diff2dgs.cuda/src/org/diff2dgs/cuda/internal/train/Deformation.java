package org.diff2dgs.cuda.internal.train;

import static org.diff2dgs.cuda.internal.train.KernelSpec.D;
import static org.diff2dgs.cuda.internal.train.KernelSpec.I;
import static org.diff2dgs.cuda.internal.train.KernelSpec.P;

import java.util.List;

import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;

/**
 * cuda/deform.cu: the Gaussian-basis deformation ("gaussian-basis", GaussianBasisField) on device tensors. The
 * coefficient tensor has 9 x 3 x B floats per surfel (per channel B weights, B centres, B widths).
 */
public final class Deformation {

    public static final int CHANNELS = 9;

    static final KernelSpec FORWARD = KernelSpec.of("deform_forward", I, I, I, D, P, P, P, P, P, P, P);
    static final KernelSpec BACKWARD = KernelSpec.of("deform_backward", I, I, I, D, P, P, P, P, P, I, P, P, P);

    private final CudaContext cuda;
    private final int bases;
    private final boolean squared;

    /**
     * @param bases   B, bases per channel
     * @param squared exp(-e^2) (the public code) or exp(-e)
     */
    public Deformation(CudaContext cuda, int bases, boolean squared) {
        if (bases < 1) {
            throw new IllegalArgumentException("need at least one time basis, got " + bases);
        }
        this.cuda = cuda;
        this.bases = bases;
        this.squared = squared;
    }

    public static List<KernelSpec> specs() {
        return List.of(FORWARD, BACKWARD);
    }

    /** Threads of a launch: one warp per (surfel, channel) row, one lane per basis (deform.cu). */
    public static long rowThreads(int n) {
        return (long) n * CHANNELS * 32;
    }

    /**
     * Blocks of {@link Launch#BLOCK} threads for {@code n} surfels. The kernels rely on whole warps: a warp past the
     * last row returns as a whole, and the rows' ballots and shuffles name all 32 lanes, so the block must be a
     * multiple of 32 and the grid must cover every row.
     */
    public static int grid(int n) {
        return Launch.blocks(rowThreads(n), Launch.BLOCK);
    }

    /** Floats of one surfel's coefficient row. */
    public int rowWidth() {
        return CHANNELS * 3 * bases;
    }

    /** Deformed positions (3n), rotations (4n), log-scales (2n) at time t from the canonical ones. */
    public void forward(int n, double t, DeviceBuffer coefs, DeviceBuffer positions0, DeviceBuffer rotations0,
            DeviceBuffer logScales0, DeviceBuffer positions, DeviceBuffer rotations, DeviceBuffer logScales) {
        Launch.require(coefs, (long) n * rowWidth(), "deformation coefficients");
        Launch.require(positions0, 3L * n, "canonical positions");
        Launch.require(rotations0, 4L * n, "canonical rotations");
        Launch.require(logScales0, 2L * n, "canonical log-scales");
        Launch.require(positions, 3L * n, "deformed positions");
        Launch.require(rotations, 4L * n, "deformed rotations");
        Launch.require(logScales, 2L * n, "deformed log-scales");
        if (n == 0) {
            return;
        }
        FORWARD.launch(cuda, grid(n), Launch.BLOCK, n, bases,
                squared ? 1 : 0, t, coefs, positions0, rotations0, logScales0, positions, rotations, logScales);
    }

    /**
     * Adds dL/d(coefficients) into {@code coefGrad} and, when {@code passThrough}, the incoming gradients into the
     * canonical gradients. {@code dLogScales} is with respect to the log-scales (Shading.backward writes it).
     */
    public void backward(int n, double t, DeviceBuffer coefs, DeviceBuffer dPositions, DeviceBuffer dRotations,
            DeviceBuffer dLogScales, DeviceBuffer coefGrad, boolean passThrough, DeviceBuffer positionsGrad,
            DeviceBuffer rotationsGrad, DeviceBuffer logScalesGrad) {
        Launch.require(coefs, (long) n * rowWidth(), "deformation coefficients");
        Launch.require(coefGrad, (long) n * rowWidth(), "deformation coefficient gradient");
        Launch.require(dPositions, 3L * n, "position gradient");
        Launch.require(dRotations, 4L * n, "rotation gradient");
        Launch.require(dLogScales, 2L * n, "log-scale gradient");
        if (passThrough) {
            Launch.require(positionsGrad, 3L * n, "canonical position gradient");
            Launch.require(rotationsGrad, 4L * n, "canonical rotation gradient");
            Launch.require(logScalesGrad, 2L * n, "canonical log-scale gradient");
        }
        if (n == 0) {
            return;
        }
        BACKWARD.launch(cuda, grid(n), Launch.BLOCK, n, bases,
                squared ? 1 : 0, t, coefs, dPositions, dRotations, dLogScales, coefGrad, passThrough ? 1 : 0,
                passThrough ? positionsGrad : null, passThrough ? rotationsGrad : null,
                passThrough ? logScalesGrad : null);
    }
}
