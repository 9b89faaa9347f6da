package org.diff2dgs.cuda.internal;

import java.util.Locale;

import org.diff2dgs.core.io.ByteSize;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.CudaException;
import org.diff2dgs.cuda.internal.driver.CudaUnavailableException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The CUDA device as this bundle's services share it: opened once, on first question (so a machine without a GPU
 * pays nothing until something asks), kept open while the bundle runs. Its context serves the device description,
 * kernel checks and benchmarks; work that may run concurrently with other work (a rasterizer of a training run while
 * the viewer renders) opens a context of its own with {@link #openContext()}, which has its own stream.
 */
@Component(service = CudaRuntime.class)
public final class CudaRuntime {

    private CudaContext shared;
    private String unavailableReason;
    private boolean tried;

    /** Null when CUDA works here; else the one-line reason (no driver, no device, driver too old, kernels missing). */
    public synchronized String unavailableReason() {
        open();
        return unavailableReason;
    }

    /** The shared context; a user must not keep work queued on it across calls of other users. */
    public synchronized CudaContext context() {
        open();
        if (shared == null) {
            throw new CudaUnavailableException(unavailableReason);
        }
        return shared;
    }

    /** A context of the caller's own (own stream, own allocations), closed by the caller. */
    public CudaContext openContext() {
        String reason = unavailableReason();
        if (reason != null) {
            throw new CudaUnavailableException(reason);
        }
        return CudaContext.open();
    }

    /** e.g. "NVIDIA H100 80GB HBM3, 79 GB, compute 9.0, driver CUDA 13.0"; "no GPU" when unavailable. */
    public synchronized String device() {
        open();
        if (shared == null) {
            return "no GPU";
        }
        int[] cc = shared.computeCapability();
        int v = shared.driverVersion();
        return String.format(Locale.ROOT, "%s, %s, compute %d.%d, driver CUDA %d.%d", shared.deviceName(),
                ByteSize.format(shared.totalBytes()), cc[0], cc[1], v / 1000, v % 1000 / 10);
    }

    private void open() {
        if (tried) {
            return;
        }
        tried = true;
        try {
            shared = CudaContext.open();
        } catch (CudaUnavailableException e) {
            unavailableReason = e.getMessage();
        } catch (CudaException | LinkageError e) {
            unavailableReason = "CUDA did not start: " + e.getMessage();
        }
    }

    @Deactivate
    synchronized void close() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
        CudaContext.releaseIdleModules();
        tried = false;
        unavailableReason = null;
    }
}
