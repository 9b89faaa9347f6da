package org.diff2dgs.splat.internal;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.Rasterizer;
import org.osgi.service.component.annotations.Component;

/** The Java CPU backend: always available, lowest priority, so any GPU backend wins when present. */
@Component(service = ComputeBackend.class)
public final class CpuBackend implements ComputeBackend {

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String device() {
        return "CPU, " + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version();
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Rasterizer createRasterizer() {
        return new CpuRasterizer();
    }
}
