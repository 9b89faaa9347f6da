package org.diff2dgs.splat.tests;

import java.util.function.Function;

import org.diff2dgs.core.api.RenderSettings;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.splat.internal.ReferenceRasterizer;
import org.diff2dgs.splat.internal.ReferenceRasterizer.Image;
import org.diff2dgs.splat.internal.ReferenceRasterizer.Scene;

/**
 * Central finite differences of L = sum(color * dColor) + sum(others * dOthers) through the double reference.
 *
 * <p>
 * The forward pass is only piecewise smooth: the 1/255 skip, the 0.99 alpha clamp, the min() of the low-pass filter,
 * the near-plane test, the median switch, early termination, tile rectangles and depth order all jump. A difference
 * quotient is used only when both perturbed renders made exactly the decisions of the unperturbed one (the
 * reference's decision hash); otherwise the step is shrunk (h/10, h/100) and, if it still crosses a kink, the
 * parameter is excluded and counted.
 */
final class FiniteDifferences {

    /** What was compared: the analytic and numeric gradient over the included entries, and how many were left out. */
    record Result(double[] analytic, double[] numeric, int checked, int excluded) {

        double relError() {
            return TestScenes.relError(analytic, numeric);
        }
    }

    private FiniteDifferences() {
    }

    static Result check(Scene scene, Camera cam, RenderSettings settings, double[] dColor, double[] dOthers,
            Function<Scene, double[]> parameters, double[] analytic, double step, int[] indices) {
        long base = ReferenceRasterizer.render(scene, cam, settings).decisions();
        double[] p = parameters.apply(scene);
        int[] which = indices != null ? indices : range(p.length);
        double[] a = new double[which.length];
        double[] num = new double[which.length];
        int kept = 0;
        int excluded = 0;
        for (int i : which) {
            double original = p[i];
            double d = Double.NaN;
            for (double h = step; h >= step / 100 && Double.isNaN(d); h /= 10) {
                p[i] = original + h;
                Image plus = ReferenceRasterizer.render(scene, cam, settings);
                p[i] = original - h;
                Image minus = ReferenceRasterizer.render(scene, cam, settings);
                p[i] = original;
                if (plus.decisions() == base && minus.decisions() == base) {
                    d = (ReferenceRasterizer.loss(plus, dColor, dOthers) - ReferenceRasterizer.loss(minus, dColor,
                            dOthers)) / (2 * h);
                }
            }
            if (Double.isNaN(d)) {
                excluded++;
                continue;
            }
            a[kept] = analytic[i];
            num[kept] = d;
            kept++;
        }
        return new Result(java.util.Arrays.copyOf(a, kept), java.util.Arrays.copyOf(num, kept), kept, excluded);
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
