package org.diff2dgs.cuda.internal;

import java.util.Optional;
import java.util.function.Function;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The NVIDIA GPU backend ("cuda"): preferred over the CPU (priority 10) wherever a driver, a device of compute
 * capability 8.0 or newer and every piece of the backend are present. The device is opened on the first question
 * (d2dgs info, --backend auto) and the answer kept.
 */
@Component(service = ComputeBackend.class)
public final class CudaBackend implements ComputeBackend {

    public static final String RASTERIZER_MISSING = "rasterizer not built yet";

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
        String reason = runtime.unavailableReason();
        if (reason != null) {
            return reason;
        }
        return rasterizerFactory().isPresent() ? null : RASTERIZER_MISSING;
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
            return rasterizerFactory().orElseThrow().apply(cuda);
        } catch (RuntimeException e) {
            cuda.close();
            throw e;
        }
    }

    /** Whether this bundle has its device rasterizer yet (without it the backend is unavailable). */
    public static boolean hasRasterizer() {
        return rasterizerFactory().isPresent();
    }

    /**
     * The device rasterizer, built on a context it then owns (package org.diff2dgs.cuda.internal.raster). Empty while
     * the bundle has none: the backend is then unavailable, with {@value #RASTERIZER_MISSING} as the reason.
     */
    static Optional<Function<CudaContext, Rasterizer>> rasterizerFactory() {
        return Optional.empty();
    }
}
