package org.diff2dgs.core.api;

/**
 * What one forward render produced. Images are planar (channel-first), {@code width * height} values per channel.
 *
 * @param color  3 channels: sum_i w_i c_i + T_final * background
 * @param others {@link #AUX_CHANNELS} channels, see the AUX_* indices
 * @param radii  screen-space radius in pixels per surfel (0 = not rendered)
 * @param saved  backend-private state needed by the backward pass (opaque to callers)
 */
public record RenderOutput(int width, int height, float[] color, float[] others, int[] radii, Object saved) {

    /** sum_i w_i z_i, the expected depth NOT divided by alpha. */
    public static final int AUX_DEPTH = 0;
    /** 1 - T_final. */
    public static final int AUX_ALPHA = 1;
    /** sum_i w_i n_i in the camera frame, 3 channels starting here. */
    public static final int AUX_NORMAL = 2;
    /** z of the last surfel while the transmittance is above 0.5. */
    public static final int AUX_MEDIAN_DEPTH = 5;
    /** The 2DGS depth-distortion term (2DGS paper, Sec. 4.1 and appendix). */
    public static final int AUX_DISTORTION = 6;
    public static final int AUX_CHANNELS = 7;

    public int pixels() {
        return width * height;
    }
}
