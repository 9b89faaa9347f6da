package org.diff2dgs.splat.internal;

/** Rotation matrix of a unit quaternion (w, x, y, z) and its vector-Jacobian product. */
public final class Quaternions {

    private Quaternions() {
    }

    /** Writes R(q) row-major; q must be unit length. */
    public static void toMatrix(double w, double x, double y, double z, double[] r) {
        r[0] = 1 - 2 * (y * y + z * z);
        r[1] = 2 * (x * y - w * z);
        r[2] = 2 * (x * z + w * y);
        r[3] = 2 * (x * y + w * z);
        r[4] = 1 - 2 * (x * x + z * z);
        r[5] = 2 * (y * z - w * x);
        r[6] = 2 * (x * z - w * y);
        r[7] = 2 * (y * z + w * x);
        r[8] = 1 - 2 * (x * x + y * y);
    }

    /**
     * dL/dq from dL/dR (row-major, {@code g}), treating q as the entries of the formula in {@link #toMatrix} (no
     * normalization). Writes (w, x, y, z) into {@code out}.
     */
    public static void matrixGradient(double w, double x, double y, double z, double[] g, double[] out) {
        out[0] = 2 * (-z * g[1] + y * g[2] + z * g[3] - x * g[5] - y * g[6] + x * g[7]);
        out[1] = 2 * (y * g[1] + z * g[2] + y * g[3] - 2 * x * g[4] - w * g[5] + z * g[6] + w * g[7] - 2 * x * g[8]);
        out[2] = 2 * (-2 * y * g[0] + x * g[1] + w * g[2] + x * g[3] + z * g[5] - w * g[6] + z * g[7] - 2 * y * g[8]);
        out[3] = 2 * (-2 * z * g[0] - w * g[1] + x * g[2] + w * g[3] - 2 * z * g[4] + y * g[5] + x * g[6] + y * g[7]);
    }
}
