package org.diff2dgs.cuda.internal.bench;

import org.diff2dgs.cuda.internal.driver.CudaContext;

/**
 * Device memory in use as the driver counts it (all of this process and others), sampled after each measurement:
 * the peak of the samples is a lower bound of the true peak, which our own allocation tracking complements.
 */
public final class MemorySampler {

    private final CudaContext cuda;
    private long peakUsed;

    public MemorySampler(CudaContext cuda) {
        this.cuda = cuda;
        sample();
    }

    public void sample() {
        peakUsed = Math.max(peakUsed, cuda.totalBytes() - cuda.freeBytes());
    }

    public long peakUsedBytes() {
        return peakUsed;
    }
}
