package org.diff2dgs.core.model;

import java.util.Arrays;

/**
 * Rigid world-to-camera transform x_cam = R x_world + t, with the camera frame x right, y down, z forward (OpenCV).
 * Conversion from dataset conventions (LLFF columns down/right/back) happens once, in the dataset reader.
 *
 * @param rotation    3x3 row-major
 * @param translation 3 values
 */
public record Pose(double[] rotation, double[] translation) {

    public Pose {
        if (rotation.length != 9 || translation.length != 3) {
            throw new IllegalArgumentException("pose needs a 3x3 rotation and a 3-vector translation");
        }
        for (double v : rotation) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("pose rotation has a non-finite value: " + Arrays.toString(rotation));
            }
        }
        for (double v : translation) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("pose translation has a non-finite value: " + Arrays.toString(translation));
            }
        }
        rotation = rotation.clone();
        translation = translation.clone();
    }

    public static Pose identity() {
        return new Pose(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3]);
    }

    /** Maps a world point to the camera frame. */
    public void toCamera(double x, double y, double z, double[] out) {
        double[] r = rotation;
        out[0] = r[0] * x + r[1] * y + r[2] * z + translation[0];
        out[1] = r[3] * x + r[4] * y + r[5] * z + translation[1];
        out[2] = r[6] * x + r[7] * y + r[8] * z + translation[2];
    }

    /** Maps a camera-frame point to the world: x_world = R^T (x_cam - t). */
    public void toWorld(double x, double y, double z, double[] out) {
        double[] r = rotation;
        double a = x - translation[0];
        double b = y - translation[1];
        double c = z - translation[2];
        out[0] = r[0] * a + r[3] * b + r[6] * c;
        out[1] = r[1] * a + r[4] * b + r[7] * c;
        out[2] = r[2] * a + r[5] * b + r[8] * c;
    }

    /** Camera centre in world coordinates, -R^T t. */
    public double[] centre() {
        double[] c = new double[3];
        toWorld(0, 0, 0, c);
        return c;
    }

    /** Largest deviation of R^T R from the identity: a check for non-rotations in imported poses. */
    public double orthonormalityError() {
        double[] r = rotation;
        double worst = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double dot = r[i] * r[j] + r[3 + i] * r[3 + j] + r[6 + i] * r[6 + j];
                worst = Math.max(worst, Math.abs(dot - (i == j ? 1 : 0)));
            }
        }
        return worst;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pose p && Arrays.equals(p.rotation, rotation) && Arrays.equals(p.translation, translation);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(rotation) + Arrays.hashCode(translation);
    }

    @Override
    public String toString() {
        return "Pose[R=" + Arrays.toString(rotation) + ", t=" + Arrays.toString(translation) + "]";
    }
}
