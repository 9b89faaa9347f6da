package org.diff2dgs.core.api;

/**
 * Per-render settings.
 *
 * @param background RGB composited behind the surfels with the final transmittance
 * @param near       surfels whose camera-space depth is below this are culled; also the distortion term's near plane
 * @param far        the distortion term's far plane
 */
public record RenderSettings(float[] background, double near, double far) {

    public RenderSettings {
        if (background.length != 3) {
            throw new IllegalArgumentException("background needs 3 values");
        }
        background = background.clone();
    }

    /** Black background, near/far of the public Diff2DGS code (0.03, 250). */
    public static RenderSettings defaults() {
        return new RenderSettings(new float[3], 0.03, 250);
    }
}
