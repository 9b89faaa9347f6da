package org.diff2dgs.cuda.internal.train;

import static org.diff2dgs.cuda.internal.train.KernelSpec.D;
import static org.diff2dgs.cuda.internal.train.KernelSpec.F;
import static org.diff2dgs.cuda.internal.train.KernelSpec.I;
import static org.diff2dgs.cuda.internal.train.KernelSpec.P;

import java.util.List;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.image.Ssim;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;

/**
 * cuda/losses.cu for one image size: the loss terms of a training iteration with their gradients into the
 * rasterizer's upstream planes (dColor: 3 planes, dOthers: {@link RenderOutput#AUX_CHANNELS} planes), and the values
 * as deterministic reductions: each term writes per-block partial sums, {@link #finish} adds them in a fixed order
 * into the device scalars (slots of {@link LossScalars}) and derives the values, including the adaptive depth weight,
 * so the depth gradient needs no round trip to the host. Holds its work buffers; one instance per training session,
 * used from one thread.
 *
 * <p>Order per iteration: {@link #color}, optionally {@link #ssim}, {@link #depth}, {@link #normal},
 * {@link #distortion} (values and, where the mean's denominator is known from the mask, gradients), then
 * {@link #finish}, then {@link #depthGradient}.
 */
public final class Losses implements AutoCloseable {

    /** Threads and blocks of the reducing kernels (LOSS_THREADS, LOSS_BLOCKS in losses.cu). */
    public static final int THREADS = 256;
    public static final int BLOCKS = 512;

    static final KernelSpec COLOR = KernelSpec.of("loss_color", I, I, P, P, P, I, F, P, P);
    static final KernelSpec DEPTH = KernelSpec.of("loss_depth", I, I, P, P, P, D, P);
    static final KernelSpec DEPTH_GRADIENT = KernelSpec.of("loss_depth_gradient", I, I, P, P, P, D, P, P);
    static final KernelSpec SSIM_ROWS = KernelSpec.of("loss_ssim_rows", I, I, I, P, P, P, P);
    static final KernelSpec SSIM_MAP = KernelSpec.of("loss_ssim_map", I, I, I, P, P, P, I, D, D, P, P);
    static final KernelSpec SSIM_ADJOINT_ROWS = KernelSpec.of("loss_ssim_adjoint_rows", I, I, I, P, P, P);
    static final KernelSpec SSIM_GRADIENT = KernelSpec.of("loss_ssim_gradient", I, I, I, P, P, P, P, P);
    static final KernelSpec NORMAL_DEPTH = KernelSpec.of("loss_normal_depth", I, I, P, D, P);
    static final KernelSpec NORMAL = KernelSpec.of("loss_normal", I, I, P, P, P, D, D, D, D, D, P, P, P, P);
    static final KernelSpec NORMAL_GRADIENT = KernelSpec.of("loss_normal_gradient", I, I, P, P, P, D, D, D, D, D, P);
    static final KernelSpec DISTORTION = KernelSpec.of("loss_distortion", I, I, P, P, F, P, P);
    static final KernelSpec FINALIZE = KernelSpec.of("loss_finalize", P, I, P, D, D, D, I, I, D, D, D, D, D, D, D);

    /** How the depth weight of an iteration is chosen (DepthWeightSchedule's FIXED and ADAPTIVE_RATIO). */
    public record DepthRule(boolean adaptive, double fixedWeight, double initialWeight, double alpha, double beta,
            double minWeight, double maxWeight) {

        public static DepthRule fixed(double weight) {
            return new DepthRule(false, weight, 0, 0, 0, 0, 0);
        }
    }

    /** The totals (mean denominators) the host knows from the masks, and what the finish step derives. */
    public record Totals(double color, double ssim, double regularizer) {
    }

    private final CudaContext cuda;
    private final int width;
    private final int height;
    private final DeviceBuffer partials;
    private final DeviceBuffer scalars;
    private final DeviceBuffer kernel;
    private DeviceBuffer ssimRows;
    private DeviceBuffer ssimAdjoint;
    private DeviceBuffer ssimAdjointRows;
    private DeviceBuffer normalDepth;
    private DeviceBuffer normalABar;
    private DeviceBuffer normalBBar;
    private int active;

    public Losses(CudaContext cuda, int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size " + width + "x" + height);
        }
        this.cuda = cuda;
        this.width = width;
        this.height = height;
        partials = cuda.allocate((long) LossScalars.QUANTITIES * BLOCKS * Double.BYTES, "loss partial sums");
        scalars = cuda.allocate((long) LossScalars.COUNT * Double.BYTES, "loss scalars");
        kernel = cuda.upload(Ssim.kernel(), "SSIM window");
        partials.zero();
        scalars.zero();
    }

    public static List<KernelSpec> specs() {
        return List.of(COLOR, DEPTH, DEPTH_GRADIENT, SSIM_ROWS, SSIM_MAP, SSIM_ADJOINT_ROWS, SSIM_GRADIENT,
                NORMAL_DEPTH, NORMAL, NORMAL_GRADIENT, DISTORTION, FINALIZE);
    }

    private int pixels() {
        return width * height;
    }

    /** Starts an iteration: no term is active until one runs. */
    public void begin() {
        active = 0;
    }

    /**
     * Masked L1 sum and PSNR sums; when dColor is not null, adds gradScale * m * sign(c - c*) into it (gradScale =
     * weight (1 - lambda) / total, total = 3 * sum m for a shared mask).
     */
    public void color(DeviceBuffer color, DeviceBuffer target, DeviceBuffer mask, int maskChannels, float gradScale,
            DeviceBuffer dColor) {
        int n = pixels();
        Launch.require(color, 3L * n, "rendered colour");
        Launch.require(target, 3L * n, "target colour");
        checkMask(mask, maskChannels, 3);
        Launch.requireOptional(dColor, 3L * n, "colour gradient");
        COLOR.launch(cuda, BLOCKS, THREADS, width, height, color, target, mask, maskChannels, gradScale, dColor,
                partials);
        active |= bit(LossScalars.L1_SUM) | bit(LossScalars.PSNR_SQUARED_ERROR) | bit(LossScalars.PSNR_COUNT);
    }

    /**
     * SSIM (11-tap separable Gaussian windows) of the rendered colour against the target, weighted by the mask;
     * when grad is not null ADDS gradScale * d(mean SSIM)/d(colour) (PhotometricLoss passes -lambda * weight).
     *
     * @param totalWeight the mean's denominator: 3 * sum m for a one-channel mask, 3 W H without
     */
    public void ssim(DeviceBuffer x, DeviceBuffer y, DeviceBuffer weights, int weightChannels, double totalWeight,
            double gradScale, DeviceBuffer grad) {
        int n = pixels();
        Launch.require(x, 3L * n, "rendered colour");
        Launch.require(y, 3L * n, "target colour");
        checkMask(weights, weightChannels, 3);
        Launch.requireOptional(grad, 3L * n, "colour gradient");
        if (!(totalWeight > 0)) {
            throw new IllegalArgumentException("SSIM weights sum to " + totalWeight);
        }
        long planes = 3L * n;
        if (ssimRows == null) {
            ssimRows = cuda.allocate(5 * planes * Float.BYTES, "SSIM filtered rows");
            ssimAdjoint = cuda.allocate(3 * planes * Float.BYTES, "SSIM adjoint");
            ssimAdjointRows = cuda.allocate(3 * planes * Float.BYTES, "SSIM filtered adjoint");
        }
        int grid = Launch.strideBlocks(planes, Launch.BLOCK);
        SSIM_ROWS.launch(cuda, grid, Launch.BLOCK, width, height, 3, x, y, kernel, ssimRows);
        SSIM_MAP.launch(cuda, BLOCKS, THREADS, width, height, 3, ssimRows, kernel, weights, weightChannels,
                1.0 / totalWeight, gradScale, grad == null ? null : ssimAdjoint, partials);
        if (grad != null) {
            SSIM_ADJOINT_ROWS.launch(cuda, grid, Launch.BLOCK, width, height, 3, ssimAdjoint, kernel,
                    ssimAdjointRows);
            SSIM_GRADIENT.launch(cuda, grid, Launch.BLOCK, width, height, 3, ssimAdjointRows, kernel, x, y, grad);
        }
        active |= bit(LossScalars.SSIM_SUM);
    }

    /** Inverse-depth L1, value pass (the gradient follows {@link #finish}). */
    public void depth(DeviceBuffer others, DeviceBuffer targetDepth, DeviceBuffer mask, double medianRatio) {
        int n = pixels();
        Launch.require(others, (long) RenderOutput.AUX_CHANNELS * n, "auxiliary planes");
        Launch.require(targetDepth, n, "target depth");
        checkMask(mask, 1, 1);
        DEPTH.launch(cuda, BLOCKS, THREADS, width, height, others, targetDepth, mask, medianRatio, partials);
        active |= bit(LossScalars.DEPTH_WEIGHT_SUM) | bit(LossScalars.DEPTH_VALID_PIXELS)
                | bit(LossScalars.DEPTH_ABS_SUM);
    }

    /** Inverse-depth gradient into dOthers, scaled by the weight {@link #finish} chose (nothing when the loss is 0). */
    public void depthGradient(DeviceBuffer others, DeviceBuffer targetDepth, DeviceBuffer mask, double medianRatio,
            DeviceBuffer dOthers) {
        int n = pixels();
        Launch.require(others, (long) RenderOutput.AUX_CHANNELS * n, "auxiliary planes");
        Launch.require(targetDepth, n, "target depth");
        checkMask(mask, 1, 1);
        Launch.require(dOthers, (long) RenderOutput.AUX_CHANNELS * n, "auxiliary gradient");
        DEPTH_GRADIENT.launch(cuda, Launch.strideBlocks(n, Launch.BLOCK), Launch.BLOCK, width, height, others,
                targetDepth, mask, medianRatio, scalars, dOthers);
    }

    /**
     * Normal consistency (2DGS): value, and with dOthers its gradient scaled by {@code scale} = weight / total.
     *
     * @param intrinsics fx, fy, cx, cy of the render
     */
    public void normal(DeviceBuffer others, DeviceBuffer mask, double medianRatio, double[] intrinsics, double scale,
            DeviceBuffer dOthers) {
        int n = pixels();
        Launch.require(others, (long) RenderOutput.AUX_CHANNELS * n, "auxiliary planes");
        checkMask(mask, 1, 1);
        Launch.requireOptional(dOthers, (long) RenderOutput.AUX_CHANNELS * n, "auxiliary gradient");
        if (intrinsics == null || intrinsics.length != 4) {
            throw new IllegalArgumentException("normal consistency needs fx, fy, cx, cy");
        }
        if (normalDepth == null) {
            normalDepth = cuda.allocate((long) n * Float.BYTES, "normal loss depth");
            normalABar = cuda.allocate(3L * n * Float.BYTES, "normal loss adjoint a");
            normalBBar = cuda.allocate(3L * n * Float.BYTES, "normal loss adjoint b");
        }
        int grid = Launch.strideBlocks(n, Launch.BLOCK);
        NORMAL_DEPTH.launch(cuda, grid, Launch.BLOCK, width, height, others, medianRatio, normalDepth);
        NORMAL.launch(cuda, BLOCKS, THREADS, width, height, others, normalDepth, mask, intrinsics[0], intrinsics[1],
                intrinsics[2], intrinsics[3], dOthers == null ? 0.0 : scale, normalABar, normalBBar, dOthers,
                partials);
        if (dOthers != null) {
            NORMAL_GRADIENT.launch(cuda, grid, Launch.BLOCK, width, height, others, normalABar, normalBBar,
                    medianRatio, intrinsics[0], intrinsics[1], intrinsics[2], intrinsics[3], dOthers);
        }
        active |= bit(LossScalars.NORMAL_SUM);
    }

    /** Depth distortion: value, and with dOthers gradScale * m on the distortion plane (gradScale = weight / total). */
    public void distortion(DeviceBuffer others, DeviceBuffer mask, float gradScale, DeviceBuffer dOthers) {
        int n = pixels();
        Launch.require(others, (long) RenderOutput.AUX_CHANNELS * n, "auxiliary planes");
        checkMask(mask, 1, 1);
        Launch.requireOptional(dOthers, (long) RenderOutput.AUX_CHANNELS * n, "auxiliary gradient");
        DISTORTION.launch(cuda, BLOCKS, THREADS, width, height, others, mask, gradScale, dOthers, partials);
        active |= bit(LossScalars.DISTORTION_SUM);
    }

    /**
     * Adds the partial sums of the terms run since {@link #begin} and derives the values and the depth weight.
     *
     * @param progress iteration / total iterations, at most 1 (the adaptive rule's decay)
     */
    public void finish(Totals totals, int minValidDepthPixels, DepthRule rule, double progress) {
        FINALIZE.launch(cuda, 1, THREADS, partials, active, scalars, totals.color(), totals.ssim(),
                totals.regularizer(), Math.max(1, minValidDepthPixels), rule.adaptive() ? 1 : 0, rule.fixedWeight(),
                rule.initialWeight(), rule.alpha(), rule.beta(), rule.minWeight(), rule.maxWeight(),
                Math.min(progress, 1.0));
    }

    /** The scalars of the last {@link #finish} (waits for the stream). */
    public LossScalars scalars() {
        int[] words = new int[2 * LossScalars.COUNT];
        scalars.copyTo(words);
        return new LossScalars(LossScalars.fromWords(words));
    }

    /** The device scalars themselves (e.g. for a kernel that reads the depth weight). */
    public DeviceBuffer scalarBuffer() {
        return scalars;
    }

    private void checkMask(DeviceBuffer mask, int channels, int maxChannels) {
        if (mask == null) {
            return;
        }
        if (channels != 1 && channels != maxChannels) {
            throw new IllegalArgumentException("a mask has 1 or " + maxChannels + " channels, not " + channels);
        }
        Launch.require(mask, (long) channels * pixels(), "mask");
    }

    private static int bit(int quantity) {
        return 1 << quantity;
    }

    @Override
    public void close() {
        for (DeviceBuffer b : new DeviceBuffer[] {partials, scalars, kernel, ssimRows, ssimAdjoint, ssimAdjointRows,
                normalDepth, normalABar, normalBBar}) {
            if (b != null) {
                b.close();
            }
        }
    }
}
