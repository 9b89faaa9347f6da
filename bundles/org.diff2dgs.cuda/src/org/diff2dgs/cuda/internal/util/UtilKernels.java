package org.diff2dgs.cuda.internal.util;

import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;
import org.diff2dgs.cuda.internal.driver.Kernel;

/**
 * Host side of cuda/util.cu: fill, axpy and a sum over device arrays. The sum runs as two launches (block partials,
 * then one block over the partials) into a scratch buffer kept between calls, so a sum allocates nothing.
 */
public final class UtilKernels implements AutoCloseable {

    /** Threads per block; util.cu's block reduction assumes a multiple of 32 up to 1024. */
    static final int BLOCK = 256;

    /** Upper bound on blocks for grid-stride kernels: enough to fill any current GPU several times over. */
    static final int MAX_BLOCKS = 1024;

    private final CudaContext cuda;
    private final Kernel fill;
    private final Kernel axpy;
    private final Kernel sumPartials;
    private final DeviceBuffer partials;
    private final DeviceBuffer total;

    public UtilKernels(CudaContext cuda) {
        this.cuda = cuda;
        this.fill = cuda.kernel("util_fill_f32");
        this.axpy = cuda.kernel("util_axpy_f32");
        this.sumPartials = cuda.kernel("util_sum_partials_f32");
        this.partials = cuda.allocate((long) MAX_BLOCKS * Float.BYTES, "sum partials");
        this.total = cuda.allocate(Float.BYTES, "sum result");
    }

    /** x[0..n) = value (queued). */
    public void fill(DeviceBuffer x, float value, int n) {
        requireFloats(x, n);
        fill.launch(blocks(n), 1, 1, BLOCK, 1, 1, 0, x, value, n);
    }

    /** y = a x + y over n elements (queued). */
    public void axpy(float a, DeviceBuffer x, DeviceBuffer y, int n) {
        requireFloats(x, n);
        requireFloats(y, n);
        axpy.launch(blocks(n), 1, 1, BLOCK, 1, 1, 0, a, x, y, n);
    }

    /** Sum of x[0..n), queued into a one-float device buffer (stays valid until the next sum). */
    public DeviceBuffer sumOnDevice(DeviceBuffer x, int n) {
        requireFloats(x, n);
        int b = blocks(n);
        sumPartials.launch(b, 1, 1, BLOCK, 1, 1, 0, x, n, partials);
        sumPartials.launch(1, 1, 1, BLOCK, 1, 1, 0, partials, b, total);
        return total;
    }

    /** Sum of x[0..n), waiting for the result. */
    public float sum(DeviceBuffer x, int n) {
        float[] out = new float[1];
        sumOnDevice(x, n).copyTo(out);
        return out[0];
    }

    static int blocks(int n) {
        return Math.max(1, Math.min(MAX_BLOCKS, (n + BLOCK - 1) / BLOCK));
    }

    private static void requireFloats(DeviceBuffer b, int n) {
        if (n < 0 || n > b.floats()) {
            throw new IllegalArgumentException("device buffer '" + b.what() + "' holds " + b.floats()
                    + " floats, asked for " + n);
        }
    }

    @Override
    public void close() {
        partials.close();
        total.close();
    }

    CudaContext context() {
        return cuda;
    }
}
