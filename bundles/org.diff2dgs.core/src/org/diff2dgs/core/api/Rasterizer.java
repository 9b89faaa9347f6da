package org.diff2dgs.core.api;

import org.diff2dgs.core.model.Camera;

/**
 * A differentiable 2D Gaussian surfel rasterizer (2DGS, Huang et al. 2024). One instance serves one training run; it
 * may keep work buffers between calls, so it is not shared between threads that render concurrently.
 */
public interface Rasterizer extends AutoCloseable {

    RenderOutput forward(SurfelBatch surfels, Camera camera, RenderSettings settings);

    /**
     * Gradients of L = sum(color * dColor) + sum(others * dOthers) with respect to the surfels of {@code forward}.
     * {@code dOthers} may be null when no auxiliary output enters the loss.
     */
    SurfelGradients backward(RenderOutput forward, float[] dColor, float[] dOthers);

    @Override
    default void close() {
    }
}
