package org.diff2dgs.inpaint.internal.flow;

/**
 * Settings of the pyramidal flow estimator.
 *
 * @param finestLevel    pyramid level the flow is returned at (0 = full resolution, 1 = half, ...); smooth tissue
 *                       motion is well described at half resolution, at a quarter of the cost
 * @param radius         half size of the square window whose gradients are pooled per pixel ((2r+1)^2 pixels)
 * @param iterations     Gauss-Newton updates per pyramid level
 * @param regularization damping added to the 2x2 normal equations per window pixel (in squared intensity gradient
 *                       units): textureless windows keep the flow of the coarser level instead of amplifying noise
 * @param coarsest       smallest side length a pyramid level may have
 */
public record FlowSettings(int finestLevel, int radius, int iterations, double regularization, int coarsest) {

    public FlowSettings {
        if (finestLevel < 0 || radius < 1 || iterations < 1 || regularization < 0 || coarsest < 4) {
            throw new IllegalArgumentException("invalid flow settings: " + finestLevel + ", " + radius + ", "
                    + iterations + ", " + regularization + ", " + coarsest);
        }
    }

    public static FlowSettings defaults() {
        return new FlowSettings(0, 6, 3, 2e-5, 12);
    }

    public FlowSettings withFinestLevel(int level) {
        return new FlowSettings(level, radius, iterations, regularization, coarsest);
    }
}
