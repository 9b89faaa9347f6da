package org.diff2dgs.cuda.internal.driver;

import java.util.Locale;

import org.diff2dgs.core.api.OutOfDeviceMemory;
import org.diff2dgs.core.io.ByteSize;

/** A device allocation did not fit: says what was being allocated, how much, and what the device had free. */
public class CudaOutOfMemoryException extends CudaException implements OutOfDeviceMemory {

    private static final long serialVersionUID = 1L;

    private final String what;
    private final long bytesAsked;
    private final long freeBytes;
    private final long totalBytes;

    public CudaOutOfMemoryException(String what, long bytesAsked, long freeBytes, long totalBytes) {
        super(message(what, bytesAsked, freeBytes, totalBytes), "CUDA_ERROR_OUT_OF_MEMORY", null);
        this.what = what;
        this.bytesAsked = bytesAsked;
        this.freeBytes = freeBytes;
        this.totalBytes = totalBytes;
    }

    /** e.g. "out of GPU memory allocating surfel positions: asked 1.5 GB (1610612736 bytes), free 200 MB of 79 GB". */
    public static String message(String what, long bytesAsked, long freeBytes, long totalBytes) {
        String free = freeBytes < 0 ? "free memory unknown"
                : "free " + ByteSize.format(freeBytes) + " of " + ByteSize.format(totalBytes);
        return String.format(Locale.ROOT, "out of GPU memory allocating %s: asked %s (%d bytes), %s", what,
                ByteSize.format(bytesAsked), bytesAsked, free);
    }

    public String what() {
        return what;
    }

    public long bytesAsked() {
        return bytesAsked;
    }

    /** Free device memory right after the failed allocation, or -1 when the driver could not say. */
    public long freeBytes() {
        return freeBytes;
    }

    public long totalBytes() {
        return totalBytes;
    }
}
