package org.diff2dgs.dataset.synthetic.internal;

/**
 * Rows of poses_bounds.npy in the LLFF convention: a camera-to-world 3x5 matrix flattened row-major (rotation columns
 * down, right, back; translation; then image height, width, focal) followed by near and far. The LLFF world is the
 * scene frame re-labelled so that a camera still at frame 0 has the identity rotation, as in the EndoNeRF files:
 * world x = scene y (down), world y = scene x (right), world z = -scene z (back).
 */
final class LlffPoses {

    static final int ROW = 17;

    private LlffPoses() {
    }

    /** Writes the row of one frame into {@code out[offset .. offset + 17)}. */
    static void row(RigidPose c2w, int width, int height, double focal, double near, double far, double[] out,
            int offset) {
        double[] r = c2w.rotation();
        double[] c = c2w.centre();
        double[] hwf = {height, width, focal};
        for (int i = 0; i < 3; i++) {
            // scene row i of R maps to LLFF world row: x <- scene y, y <- scene x, z <- -scene z
            int sceneRow = i == 0 ? 1 : i == 1 ? 0 : 2;
            double sign = i == 2 ? -1 : 1;
            double right = sign * r[3 * sceneRow];
            double down = sign * r[3 * sceneRow + 1];
            double forward = sign * r[3 * sceneRow + 2];
            int o = offset + 5 * i;
            out[o] = down;
            out[o + 1] = right;
            out[o + 2] = -forward;
            out[o + 3] = sign * c[sceneRow];
            out[o + 4] = hwf[i];
        }
        out[offset + 15] = near;
        out[offset + 16] = far;
    }
}
