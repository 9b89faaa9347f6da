package org.diff2dgs.viewer.api;

import java.util.List;

import org.diff2dgs.core.model.Camera;

/**
 * The surfels at one time, ready to draw: each one a planar elliptical disc (2DGS surfel) with its centre, its two
 * tangent axes already multiplied by the standard deviations, a colour and an opacity. Arrays are struct-of-arrays,
 * row i belongs to surfel i.
 *
 * @param count     number of surfels
 * @param time      normalized time in [0, 1] the deformation was applied at
 * @param centres   3 per surfel, world units
 * @param axesU     3 per surfel, first tangent axis times its standard deviation
 * @param axesV     3 per surfel, second tangent axis times its standard deviation
 * @param colours   3 per surfel, RGB in [0, 1] (view-independent part of the colour)
 * @param opacities 1 per surfel, in [0, 1]
 * @param cameras   the dataset's cameras (drawn as frusta), may be empty
 */
public record SplatScene(int count, double time, float[] centres, float[] axesU, float[] axesV, float[] colours,
        float[] opacities, List<Camera> cameras) {

    public SplatScene {
        if (count < 0 || centres.length != 3 * count || axesU.length != 3 * count || axesV.length != 3 * count
                || colours.length != 3 * count || opacities.length != count) {
            throw new IllegalArgumentException("splat arrays do not match count " + count);
        }
        cameras = List.copyOf(cameras);
    }
}
