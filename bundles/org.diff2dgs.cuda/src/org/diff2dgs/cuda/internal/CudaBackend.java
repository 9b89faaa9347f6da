package org.diff2dgs.cuda.internal;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.raster.CudaRasterizer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The NVIDIA GPU backend ("cuda"): preferred over the CPU (priority 10) wherever a driver, a device of compute
 * capability 8.0 or newer and the kernels are present. The device is opened on the first question
 * (d2dgs info, --backend auto) and the answer kept.
 */
@Component(service = ComputeBackend.class)
public final class CudaBackend implements ComputeBackend {

    private final CudaRuntime runtime;

    @Activate
    public CudaBackend(@Reference CudaRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String device() {
        return runtime.device();
    }

    @Override
    public String unavailableReason() {
        return runtime.unavailableReason();
    }

    @Override
    public int priority() {
        return 10;
    }

    /**
     * A rasterizer with a CUDA context of its own (own stream), so that renders of the viewer and a training run do
     * not share a queue; closing the rasterizer closes its context.
     *
     * @throws IllegalStateException when the backend is unavailable (callers choose backends by availability)
     */
    @Override
    public Rasterizer createRasterizer() {
        String reason = unavailableReason();
        if (reason != null) {
            throw new IllegalStateException("the cuda backend is not available: " + reason);
        }
        CudaContext cuda = runtime.openContext();
        try {
            return new CudaRasterizer(cuda, true);
        } catch (RuntimeException e) {
            cuda.close();
            throw e;
        }
    }
}
