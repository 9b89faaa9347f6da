package org.diff2dgs.core.model;

/**
 * The surfels of a 2DGS scene in canonical (undeformed) space, struct-of-arrays so that CPU loops stream and GPU
 * uploads are one copy per attribute. Row i of every array belongs to surfel i.
 *
 * @param count         number of surfels
 * @param shDegree      spherical-harmonic degree of the colour (0..3)
 * @param positions     3 per surfel, world units
 * @param rotations     4 per surfel, quaternion (w, x, y, z), not necessarily normalized
 * @param logScales     2 per surfel, log of the tangent-axis standard deviations
 * @param opacityLogits 1 per surfel, logit of the opacity
 * @param sh            3 * (shDegree + 1)^2 per surfel, coefficient-major: sh[(i * K + k) * 3 + rgb]
 */
public record GaussianModel(int count, int shDegree, float[] positions, float[] rotations, float[] logScales,
        float[] opacityLogits, float[] sh) {

    public GaussianModel {
        if (shDegree < 0 || shDegree > 3) {
            throw new IllegalArgumentException("SH degree must be 0..3, got " + shDegree);
        }
        int k = shCoefficients(shDegree);
        if (positions.length != 3 * count || rotations.length != 4 * count || logScales.length != 2 * count
                || opacityLogits.length != count || sh.length != 3 * k * count) {
            throw new IllegalArgumentException("surfel arrays do not match count " + count);
        }
    }

    public static int shCoefficients(int degree) {
        return (degree + 1) * (degree + 1);
    }

    public static GaussianModel allocate(int count, int shDegree) {
        return new GaussianModel(count, shDegree, new float[3 * count], new float[4 * count], new float[2 * count],
                new float[count], new float[3 * shCoefficients(shDegree) * count]);
    }

    public int shCoefficients() {
        return shCoefficients(shDegree);
    }
}
