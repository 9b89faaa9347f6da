package org.diff2dgs.core.api;

/**
 * Surfels as a rasterizer consumes them at one time step: already deformed and activated, colours already evaluated
 * for the view direction. Row i of every array belongs to surfel i.
 *
 * @param positions 3 per surfel, world frame
 * @param rotations 4 per surfel, quaternion (w, x, y, z); the rasterizer normalizes it (and differentiates that)
 * @param scales    2 per surfel, tangent-axis standard deviations (linear, not log)
 * @param opacities 1 per surfel, in (0, 1)
 * @param colors    3 per surfel, RGB
 */
public record SurfelBatch(int count, float[] positions, float[] rotations, float[] scales, float[] opacities,
        float[] colors) {

    public SurfelBatch {
        if (positions.length < 3 * count || rotations.length < 4 * count || scales.length < 2 * count
                || opacities.length < count || colors.length < 3 * count) {
            throw new IllegalArgumentException("surfel arrays shorter than count " + count);
        }
    }

    public static SurfelBatch allocate(int count) {
        return new SurfelBatch(count, new float[3 * count], new float[4 * count], new float[2 * count],
                new float[count], new float[3 * count]);
    }
}
