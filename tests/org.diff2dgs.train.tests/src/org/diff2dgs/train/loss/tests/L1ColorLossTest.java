package org.diff2dgs.train.loss.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.train.loss.L1ColorLoss;
import org.junit.jupiter.api.Test;

class L1ColorLossTest {

    static RenderOutput render(int w, int h, float[] color, float[] others) {
        return new RenderOutput(w, h, color, others, new int[0], null);
    }

    static float[] random(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextDouble();
        }
        return a;
    }

    /** sum m |c - t| / sum m over channels, m broadcast from one channel or per channel. */
    static double reference(double[] c, float[] t, float[] m, int n) {
        double s = 0;
        double z = 0;
        for (int ch = 0; ch < 3; ch++) {
            for (int i = 0; i < n; i++) {
                double mv = m == null ? 1 : m.length == n ? m[i] : m[ch * n + i];
                s += mv * Math.abs(c[ch * n + i] - t[ch * n + i]);
                z += mv;
            }
        }
        return z == 0 ? 0 : s / z;
    }

    @Test
    void valueOfASmallCase() {
        float[] c = {0.5f, 0.5f, 0.2f, 0.2f, 1f, 0f};
        float[] t = {0.25f, 0.75f, 0.2f, 0.1f, 0f, 0f};
        RenderOutput r = render(2, 1, c, new float[14]);
        FloatImage target = new FloatImage(2, 1, 3, t);
        assertEquals((0.25 + 0.25 + 0 + 0.1 + 1 + 0) / 6, new L1ColorLoss().value(r, target, null), 1e-7);
        FloatImage mask = new FloatImage(2, 1, 1, new float[] {1, 0});
        assertEquals((0.25 + 0 + 1) / 3, new L1ColorLoss().value(r, target, mask), 1e-7);
        FloatImage empty = new FloatImage(2, 1, 1, new float[] {0, 0});
        float[] grad = new float[6];
        assertEquals(0, new L1ColorLoss().addGradient(r, target, empty, 1, grad));
        assertEquals(0, grad[0]);
    }

    @Test
    void gradientMatchesFiniteDifferencesWithOneAndThreeChannelMasks() {
        SplittableRandom rnd = new SplittableRandom(11);
        int w = 9;
        int h = 7;
        int n = w * h;
        float[] c = random(rnd, 3 * n);
        FloatImage target = new FloatImage(w, h, 3, random(rnd, 3 * n));
        for (int channels : new int[] {1, 3}) {
            float[] m = random(rnd, channels * n);
            for (int i = 0; i < m.length; i += 4) {
                m[i] = 0;
            }
            FloatImage mask = new FloatImage(w, h, channels, m);
            float[] grad = new float[3 * n];
            double v = new L1ColorLoss().addGradient(render(w, h, c, new float[7 * n]), target, mask, 1.5, grad);
            assertEquals(reference(FiniteDifferences.toDouble(c, 0, 3 * n), target.data(), m, n), v, 1e-6);
            double[] fd = FiniteDifferences.gradient(FiniteDifferences.toDouble(c, 0, 3 * n), 1e-6,
                    x -> 1.5 * reference(x, target.data(), m, n));
            FiniteDifferences.assertGradient("L1 with " + channels + "-channel mask", grad, 0, fd, 1e-3);
        }
    }

    @Test
    void rejectsATargetOfAnotherSize() {
        RenderOutput r = render(4, 3, new float[36], new float[84]);
        FloatImage target = FloatImage.zeros(3, 4, 3);
        assertThrows(IllegalArgumentException.class, () -> new L1ColorLoss().value(r, target, null));
    }
}
