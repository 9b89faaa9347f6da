package org.diff2dgs.cuda.internal.train;

import static org.diff2dgs.cuda.internal.train.KernelSpec.F;
import static org.diff2dgs.cuda.internal.train.KernelSpec.I;
import static org.diff2dgs.cuda.internal.train.KernelSpec.L;
import static org.diff2dgs.cuda.internal.train.KernelSpec.P;

import java.util.List;

import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;

/**
 * cuda/adam.cu: one fused Adam step over a parameter tensor (org.diff2dgs.train.optim.Adam on the CPU). The host
 * keeps the step count and rate of each group and passes the bias corrections computed exactly as the twin does, so
 * a step is the CPU one bit for bit.
 */
public final class AdamKernels {

    static final KernelSpec STEP = KernelSpec.of("adam_step", L, I, P, P, P, P, P, F, F, F, F, F, F, F, I);

    private final CudaContext cuda;
    private final double beta1;
    private final double beta2;
    private final double eps;

    public AdamKernels(CudaContext cuda, double beta1, double beta2, double eps) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps >= 0)) {
            throw new IllegalArgumentException("Adam needs 0 <= beta < 1 and eps >= 0, got " + beta1 + ", " + beta2
                    + ", " + eps);
        }
        this.cuda = cuda;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    public static List<KernelSpec> specs() {
        return List.of(STEP);
    }

    /** lr / (1 - beta1^t) rounded to float, as Adam.update. */
    public static float stepSize(double learningRate, double beta1, long step) {
        return (float) (learningRate / (1 - Math.pow(beta1, step)));
    }

    /** 1 / sqrt(1 - beta2^t) rounded to float, as Adam.update. */
    public static float inverseBiasCorrection2(double beta2, long step) {
        return (float) (1 / Math.sqrt(1 - Math.pow(beta2, step)));
    }

    /**
     * One update with step count {@code step} (already incremented: 1 for the first update).
     *
     * @param count       values in the tensor
     * @param width       values per row (for the column scale)
     * @param columnScale per-column rate factors (width floats), or null
     * @param zeroGrad    set the gradient to 0 in the same pass
     */
    public void step(long count, int width, DeviceBuffer values, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v,
            DeviceBuffer columnScale, double learningRate, long step, boolean zeroGrad) {
        if (step < 1) {
            throw new IllegalArgumentException("Adam step count starts at 1, got " + step);
        }
        if (width < 1 || count % width != 0) {
            throw new IllegalArgumentException(count + " values are not rows of width " + width);
        }
        Launch.require(values, count, "parameter values");
        Launch.require(grad, count, "parameter gradient");
        Launch.require(m, count, "first moment");
        Launch.require(v, count, "second moment");
        Launch.requireOptional(columnScale, width, "column scale");
        if (count == 0) {
            return;
        }
        STEP.launch(cuda, Launch.strideBlocks(count, Launch.BLOCK), Launch.BLOCK, count, width, values, grad, m, v,
                columnScale, stepSize(learningRate, beta1, step), inverseBiasCorrection2(beta2, step),
                (float) beta1, (float) beta2, (float) (1 - beta1), (float) (1 - beta2), (float) eps, zeroGrad ? 1 : 0);
    }
}
