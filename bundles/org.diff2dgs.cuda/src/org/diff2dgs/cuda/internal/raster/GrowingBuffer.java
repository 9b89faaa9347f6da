package org.diff2dgs.cuda.internal.raster;

import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;

/** A device buffer of 4-byte elements that grows on demand ({@link Capacity}) and is reused between calls. */
final class GrowingBuffer implements AutoCloseable {

    private final CudaContext cuda;
    private final String what;
    private DeviceBuffer buffer;
    private long capacity;

    GrowingBuffer(CudaContext cuda, String what) {
        this.cuda = cuda;
        this.what = what;
    }

    /** The buffer, with room for at least {@code elements} 4-byte elements; its contents are lost when it grows. */
    DeviceBuffer ensure(long elements) {
        if (buffer == null || elements > capacity) {
            long c = Capacity.grow(capacity, elements);
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
