package org.diff2dgs.cuda.internal.raster;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jcuda.Pointer;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;

import org.diff2dgs.cuda.internal.driver.DeviceBuffer;

/**
 * Reads the forward's (tile, surfel) entry count without stalling the GPU: {@link #request} queues a copy of the
 * count into pinned host memory and an event behind it; the host then queues the binning and the render (sized for
 * the buffers' capacity) and only afterwards {@link #await}s the event, while the GPU still works through the
 * queued kernels. The old path read the count synchronously right after the scan, so the GPU idled until the host
 * had launched the next kernel (the one host synchronization of a forward). Must be used on a thread where the
 * rasterizer's context is current (after a launch).
 */
final class EntryCountReadback implements AutoCloseable {

    private final CUstream stream;
    private Pointer host;
    private ByteBuffer view;
    private CUevent ready;

    EntryCountReadback(CUstream stream) {
        this.stream = stream;
    }

    /** Queues the copy of the first int of {@code count} and the event that marks it done. */
    void request(DeviceBuffer count) {
        if (host == null) {
            Pointer p = new Pointer();
            check("cuMemAllocHost", cuMemAllocHost(p, 4));
            host = p;
            view = p.getByteBuffer(0, 4).order(ByteOrder.nativeOrder());
            CUevent e = new CUevent();
            check("cuEventCreate", cuEventCreate(e, CUevent_flags.CU_EVENT_DISABLE_TIMING));
            ready = e;
        }
        check("cuMemcpyDtoHAsync", cuMemcpyDtoHAsync(host, count.pointer(), 4, stream));
        check("cuEventRecord", cuEventRecord(ready, stream));
    }

    /** Waits for the copy queued by the last {@link #request} and returns the count. */
    int await() {
        if (ready == null) {
            throw new IllegalStateException("entry count awaited before it was requested");
        }
        check("cuEventSynchronize", cuEventSynchronize(ready));
        return view.getInt(0);
    }

    private static void check(String call, int result) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new IllegalStateException("rasterizer entry count: " + call + " failed: "
                    + CUresult.stringFor(result));
        }
    }

    @Override
    public void close() {
        if (ready != null) {
            cuEventDestroy(ready);
            ready = null;
        }
        if (host != null) {
            cuMemFreeHost(host);
            host = null;
            view = null;
        }
    }
}
