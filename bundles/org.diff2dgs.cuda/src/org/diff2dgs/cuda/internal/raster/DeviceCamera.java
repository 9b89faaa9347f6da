package org.diff2dgs.cuda.internal.raster;

import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;

import jcuda.Pointer;
import jcuda.driver.CUresult;

import org.diff2dgs.core.model.Camera;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;

/**
 * The forward's camera in device memory, for project_forward ({@link CameraArgs#doubles}). It is passed by address
 * rather than as 18 scalar arguments so that the projection can belong to the forward's first CUDA graph: the graph
 * keeps the address and its first node copies the values from pinned host memory, which {@link #stage} rewrites for
 * each frame. A new camera therefore costs no new capture.
 *
 * <p>
 * The host values are read when the copy runs on the GPU, not when it is queued. {@link #stage} may rewrite them
 * only once the previous copy has run; the rasterizer guarantees that by waiting, before a forward returns, for an
 * event or a download queued after it.
 */
final class DeviceCamera implements AutoCloseable {

    private static final long BYTES = (long) CameraArgs.COUNT * Double.BYTES;

    private final CudaContext cuda;
    private Pointer host;
    private DoubleBuffer view;
    private DeviceBuffer device;

    DeviceCamera(CudaContext cuda) {
        this.cuda = cuda;
    }

    /** Writes {@code camera}'s values into the pinned host copy, which the next {@link #enqueueCopy} reads. */
    void stage(Camera camera) {
        allocate();
        view.put(0, CameraArgs.doubles(camera));
    }

    /** Queues the host-to-device copy on the context stream (inside a capture: the graph's copy node). */
    void enqueueCopy() {
        allocate();
        int r = cuMemcpyHtoDAsync(device.pointer(), host, BYTES, cuda.stream());
        if (r != CUresult.CUDA_SUCCESS) {
            throw new IllegalStateException("rasterizer camera: cuMemcpyHtoDAsync failed: " + CUresult.stringFor(r));
        }
    }

    /** The device copy, which project_forward reads. */
    DeviceBuffer buffer() {
        allocate();
        return device;
    }

    long bytes() {
        return device == null ? 0 : device.bytes();
    }

    private void allocate() {
        if (host == null) {
            Pointer p = new Pointer();
            int r = cuMemAllocHost(p, BYTES);
            if (r != CUresult.CUDA_SUCCESS) {
                throw new IllegalStateException("rasterizer camera: cuMemAllocHost(" + BYTES + " bytes) failed: "
                        + CUresult.stringFor(r));
            }
            host = p;
            view = p.getByteBuffer(0, BYTES).order(ByteOrder.nativeOrder()).asDoubleBuffer();
        }
        if (device == null) {
            device = cuda.allocate(BYTES, "rasterizer camera");
        }
    }

    @Override
    public void close() {
        if (device != null) {
            device.close();
            device = null;
        }
        if (host != null) {
            cuMemFreeHost(host);
            host = null;
            view = null;
        }
    }
}
