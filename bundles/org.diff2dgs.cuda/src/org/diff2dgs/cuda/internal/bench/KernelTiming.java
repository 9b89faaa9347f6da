package org.diff2dgs.cuda.internal.bench;

import org.diff2dgs.cuda.internal.driver.CudaContext;

/**
 * One kernel (or short fixed sequence of kernels) timed by d2dgs bench on inputs it prepares itself. Add new ones to
 * {@link KernelTimings#all()}.
 */
public interface KernelTiming {

    /** What runs at which size, e.g. "util_axpy_f32 16M floats". */
    String name();

    /** Allocates and fills the inputs (untimed). */
    Prepared prepare(CudaContext cuda, long seed);

    /** Inputs on the device, ready to queue the timed work again and again. */
    interface Prepared extends AutoCloseable {

        /** Queues the timed work on the context stream (no synchronization). */
        void queue();

        /** Bytes the work reads and writes at least once (for the effective bandwidth), 0 when not meaningful. */
        long bytesMoved();

        @Override
        void close();
    }
}
