package org.diff2dgs.cuda.internal.raster;

import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;

/**
 * A device buffer of 4-byte elements that grows on demand and is reused between calls: by half again
 * ({@link Capacity#grow}) where the need changes from call to call, or to exactly the need ({@link #exact}) where it
 * changes only with the surfel count (a training session's density control), so that the headroom is not paid for
 * at the largest surfel set.
 */
final class GrowingBuffer implements AutoCloseable {

    private final CudaContext cuda;
    private final String what;
    private final boolean exact;
    private DeviceBuffer buffer;
    private long capacity;

    GrowingBuffer(CudaContext cuda, String what) {
        this(cuda, what, false);
    }

    private GrowingBuffer(CudaContext cuda, String what, boolean exact) {
        this.cuda = cuda;
        this.what = what;
        this.exact = exact;
    }

    /** A buffer that grows to exactly what is needed (never shrinks). */
    static GrowingBuffer exact(CudaContext cuda, String what) {
        return new GrowingBuffer(cuda, what, true);
    }

    /** The buffer, with room for at least {@code elements} 4-byte elements; its contents are lost when it grows. */
    DeviceBuffer ensure(long elements) {
        if (buffer == null || elements > capacity) {
            long c = exact ? Math.max(1, elements) : Capacity.grow(capacity, elements);
            if (buffer != null) {
                buffer.close();
                buffer = null;
            }
            buffer = cuda.allocate(c * 4, what);
            capacity = c;
        }
        return buffer;
    }

    DeviceBuffer get() {
        if (buffer == null) {
            throw new IllegalStateException(what + " was never allocated");
        }
        return buffer;
    }

    /** Elements the buffer holds now (0 before the first {@link #ensure}). */
    long capacity() {
        return buffer == null ? 0 : capacity;
    }

    long bytes() {
        return buffer == null ? 0 : buffer.bytes();
    }

    @Override
    public void close() {
        if (buffer != null) {
            buffer.close();
            buffer = null;
            capacity = 0;
        }
    }
}
