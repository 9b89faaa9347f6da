package org.diff2dgs.train.loss.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.ToDoubleFunction;

/** Central finite differences of a double-precision reference, and the comparison the project asks for. */
public final class FiniteDifferences {

    private FiniteDifferences() {
    }

    /** dF/dx_i for every i by central differences with step h (x is restored afterwards). */
    public static double[] gradient(double[] x, double h, ToDoubleFunction<double[]> f) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + h;
            double up = f.applyAsDouble(x);
            x[i] = keep - h;
            double down = f.applyAsDouble(x);
            x[i] = keep;
            g[i] = (up - down) / (2 * h);
        }
        return g;
    }

    /** Max |a - b| relative to max |b|: the two gradients agree element by element at that scale. */
    public static double relativeError(float[] analytic, int offset, double[] reference) {
        double scale = 0;
        for (double v : reference) {
            scale = Math.max(scale, Math.abs(v));
        }
        double err = 0;
        for (int i = 0; i < reference.length; i++) {
            err = Math.max(err, Math.abs(analytic[offset + i] - reference[i]));
        }
        return scale == 0 ? err : err / scale;
    }

    public static void assertGradient(String what, float[] analytic, int offset, double[] reference, double tol) {
        double scale = 0;
        for (double v : reference) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0, what + ": reference gradient is all zero, the check would prove nothing");
        double e = relativeError(analytic, offset, reference);
        assertTrue(e < tol, what + ": relative gradient error " + e + " >= " + tol);
    }

    public static double[] toDouble(float[] a, int from, int length) {
        double[] d = new double[length];
        for (int i = 0; i < length; i++) {
            d[i] = a[from + i];
        }
        return d;
    }
}
