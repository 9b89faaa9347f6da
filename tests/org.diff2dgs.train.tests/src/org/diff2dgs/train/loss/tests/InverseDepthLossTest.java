package org.diff2dgs.train.loss.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.train.loss.InverseDepthLoss;
import org.diff2dgs.train.loss.RenderedDepth;
import org.junit.jupiter.api.Test;

class InverseDepthLossTest {

    private static final int DEPTH = RenderOutput.AUX_DEPTH;
    private static final int ALPHA = RenderOutput.AUX_ALPHA;
    private static final int MEDIAN = RenderOutput.AUX_MEDIAN_DEPTH;

    /** Reference over the full auxiliary array in double. */
    static double reference(double[] o, float[] target, float[] mask, int n, double r, int minValid) {
        double s = 0;
        double z = 0;
        int valid = 0;
        for (int i = 0; i < n; i++) {
            double a = o[ALPHA * n + i];
            double expected = a == 0 ? 0 : o[DEPTH * n + i] / a;
            double d = (1 - r) * expected + r * o[MEDIAN * n + i];
            double m = mask == null ? 1 : mask[i];
            if (m != 0 && target[i] > 0 && d > 0) {
                s += m * Math.abs(1 / d - 1 / (double) target[i]);
                z += m;
                valid++;
            }
        }
        return valid < minValid || z == 0 ? 0 : s / z;
    }

    static float[] randomAux(SplittableRandom rnd, int n) {
        float[] o = new float[RenderOutput.AUX_CHANNELS * n];
        for (int i = 0; i < n; i++) {
            float a = (float) (0.3 + 0.7 * rnd.nextDouble());
            o[ALPHA * n + i] = a;
            o[DEPTH * n + i] = (float) (a * (1 + 4 * rnd.nextDouble()));
            o[MEDIAN * n + i] = (float) (1 + 4 * rnd.nextDouble());
            o[RenderOutput.AUX_NORMAL * n + i] = (float) rnd.nextDouble();
        }
        return o;
    }

    @Test
    void handCheckedValue() {
        int n = 16;
        float[] o = new float[7 * n];
        Arrays.fill(o, DEPTH * n, DEPTH * n + n, 2f);
        Arrays.fill(o, ALPHA * n, ALPHA * n + n, 0.5f);
        float[] t = new float[n];
        Arrays.fill(t, 2f);
        t[3] = 0; // no data depth: left out
        o[ALPHA * n + 5] = 0; // nothing rendered: left out
        RenderOutput r = L1ColorLossTest.render(4, 4, new float[3 * n], o);
        // D = 2 / 0.5 = 4 against 2: |1/4 - 1/2|
        assertEquals(0.25, new InverseDepthLoss().value(r, new FloatImage(4, 4, 1, t), null), 1e-7);
        // fewer than 15 valid pixels: 0, as the public code below its threshold
        assertEquals(0, new InverseDepthLoss(RenderedDepth.EXPECTED, 15).value(r, new FloatImage(4, 4, 1, t), null));
        float[] grad = new float[7 * n];
        new InverseDepthLoss(RenderedDepth.EXPECTED, 15).addGradient(r, new FloatImage(4, 4, 1, t), null, 1, grad);
        for (float g : grad) {
            assertEquals(0, g);
        }
    }

    @Test
    void gradientReachesDepthSumAlphaAndMedian() {
        SplittableRandom rnd = new SplittableRandom(31);
        int w = 7;
        int h = 6;
        int n = w * h;
        for (double ratio : new double[] {0, 0.5, 1}) {
            float[] o = randomAux(rnd, n);
            o[ALPHA * n + 4] = 0;
            o[DEPTH * n + 4] = 0;
            float[] t = new float[n];
            for (int i = 0; i < n; i++) {
                t[i] = i % 9 == 2 ? 0 : (float) (1 + 4 * rnd.nextDouble());
            }
            float[] m = L1ColorLossTest.random(rnd, n);
            m[7] = 0;
            RenderedDepth depth = new RenderedDepth(ratio);
            InverseDepthLoss loss = new InverseDepthLoss(depth, 10);
            RenderOutput r = L1ColorLossTest.render(w, h, new float[3 * n], o);
            FloatImage target = new FloatImage(w, h, 1, t);
            FloatImage mask = new FloatImage(w, h, 1, m);
            float[] grad = new float[7 * n];
            double v = loss.addGradient(r, target, mask, 0.7, grad);
            double[] od = FiniteDifferences.toDouble(o, 0, o.length);
            assertEquals(reference(od, t, m, n, ratio, 10), v, 1e-6);
            double[] fd = FiniteDifferences.gradient(od, 1e-6, x -> 0.7 * reference(x, t, m, n, ratio, 10));
            FiniteDifferences.assertGradient("inverse depth, median ratio " + ratio, grad, 0, fd, 1e-3);
        }
    }
}
