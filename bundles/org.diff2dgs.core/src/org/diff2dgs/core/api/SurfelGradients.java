package org.diff2dgs.core.api;

/**
 * Gradients of a scalar loss with respect to the inputs of a render, same layouts as {@link SurfelBatch}.
 *
 * @param screenGradient per surfel, the norm of dL/d(projected centre) in NDC units (pixels * 2 / size), the
 *                       statistic densification accumulates (threshold 2e-4 as in 3DGS/2DGS)
 */
public record SurfelGradients(float[] positions, float[] rotations, float[] scales, float[] opacities,
        float[] colors, float[] screenGradient) {

    public static SurfelGradients allocate(int count) {
        return new SurfelGradients(new float[3 * count], new float[4 * count], new float[2 * count],
                new float[count], new float[3 * count], new float[count]);
    }
}
