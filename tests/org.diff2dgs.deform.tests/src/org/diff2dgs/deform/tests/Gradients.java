package org.diff2dgs.deform.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import org.diff2dgs.core.model.GaussianModel;

/** Finite differences of double-precision references, and random canonical models. */
final class Gradients {

    private Gradients() {
    }

    /** Central differences of f at x for the given coordinates (all when null); x is restored. */
    static double[] centralDifferences(double[] x, int[] coordinates, double h, ToDoubleFunction<double[]> f) {
        int m = coordinates == null ? x.length : coordinates.length;
        double[] g = new double[m];
        for (int j = 0; j < m; j++) {
            int i = coordinates == null ? j : coordinates[j];
            double keep = x[i];
            x[i] = keep + h;
            double up = f.applyAsDouble(x);
            x[i] = keep - h;
            double down = f.applyAsDouble(x);
            x[i] = keep;
            g[j] = (up - down) / (2 * h);
        }
        return g;
    }

    /** max |a - b| / max |b| must stay below tol, and the reference must not be all zero. */
    static void assertClose(String what, double[] analytic, double[] reference, double tol) {
        double scale = 0;
        double err = 0;
        for (int i = 0; i < reference.length; i++) {
            scale = Math.max(scale, Math.abs(reference[i]));
            err = Math.max(err, Math.abs(analytic[i] - reference[i]));
        }
        assertTrue(scale > 0, what + ": reference gradient is all zero, the check would prove nothing");
        assertTrue(err / scale < tol, what + ": relative gradient error " + err / scale + " >= " + tol);
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    static GaussianModel randomModel(int count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        GaussianModel m = GaussianModel.allocate(count, 0);
        for (int i = 0; i < 3 * count; i++) {
            m.positions()[i] = (float) (4 * rnd.nextDouble() - 2);
        }
        for (int i = 0; i < 4 * count; i++) {
            m.rotations()[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < 2 * count; i++) {
            m.logScales()[i] = (float) (-3 + rnd.nextDouble());
        }
        return m;
    }

    static float[] randomArray(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (2 * rnd.nextDouble() - 1);
        }
        return a;
    }
}
