package org.diff2dgs.cuda.internal.driver;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;

import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;

/**
 * Device time of the work queued between {@link #start()} and {@link #stop()} on a context's stream, from a pair of
 * CUDA events (resolution about half a microsecond; no host synchronization until {@link #elapsedMs()}).
 */
public final class GpuTimer implements AutoCloseable {

    private final CudaContext cuda;
    private final CUevent begin = new CUevent();
    private final CUevent end = new CUevent();
    private boolean closed;

    public GpuTimer(CudaContext cuda) {
        this.cuda = cuda;
        cuda.ensureOpen();
        cuda.bind();
        Cu.check("cuEventCreate", () -> cuEventCreate(begin, CUevent_flags.CU_EVENT_DEFAULT));
        Cu.check("cuEventCreate", () -> cuEventCreate(end, CUevent_flags.CU_EVENT_DEFAULT));
    }

    /** Marks the start on the stream (queued). */
    public void start() {
        cuda.bind();
        Cu.check("cuEventRecord", () -> cuEventRecord(begin, cuda.stream()));
    }

    /** Marks the end on the stream (queued). */
    public void stop() {
        cuda.bind();
        Cu.check("cuEventRecord", () -> cuEventRecord(end, cuda.stream()));
    }

    /** Waits for the end mark and returns the milliseconds between the marks. */
    public double elapsedMs() {
        cuda.bind();
        Cu.check("cuEventSynchronize", () -> cuEventSynchronize(end));
        float[] ms = {0f};
        Cu.check("cuEventElapsedTime", () -> cuEventElapsedTime(ms, begin, end));
        return ms[0];
    }

    @Override
    public void close() {
        if (closed || cuda.isClosed()) {
            return;
        }
        closed = true;
        cuda.bind();
        Cu.result(() -> cuEventDestroy(begin));
        Cu.result(() -> cuEventDestroy(end));
    }
}
