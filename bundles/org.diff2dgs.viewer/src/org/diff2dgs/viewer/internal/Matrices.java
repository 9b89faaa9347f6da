package org.diff2dgs.viewer.internal;

import org.diff2dgs.viewer.api.OrbitView;

/** Column-major 4x4 matrices for OpenGL from an orbit view. */
final class Matrices {

    private Matrices() {
    }

    /** World to eye: rows right, up, -forward (OpenGL eye space looks down -z). */
    static float[] view(OrbitView v) {
        double[] r = v.right();
        double[] u = v.up();
        double[] f = v.forward();
        double[] e = v.eye();
        float[] m = new float[16];
        set(m, 0, r[0], r[1], r[2], -dot(r, e));
        set(m, 1, u[0], u[1], u[2], -dot(u, e));
        set(m, 2, -f[0], -f[1], -f[2], dot(f, e));
        set(m, 3, 0, 0, 0, 1);
        return m;
    }

    static float[] perspective(double fovY, double aspect, double near, double far) {
        double t = 1 / Math.tan(fovY / 2);
        float[] m = new float[16];
        set(m, 0, t / aspect, 0, 0, 0);
        set(m, 1, 0, t, 0, 0);
        set(m, 2, 0, 0, (far + near) / (near - far), 2 * far * near / (near - far));
        set(m, 3, 0, 0, -1, 0);
        return m;
    }

    private static void set(float[] m, int row, double a, double b, double c, double d) {
        m[row] = (float) a;
        m[4 + row] = (float) b;
        m[8 + row] = (float) c;
        m[12 + row] = (float) d;
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }
}
