package org.diff2dgs.train.loss.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.diff2dgs.core.image.Ssim;
import org.diff2dgs.core.model.FloatImage;
import org.junit.jupiter.api.Test;

class SsimTest {

    /** Straightforward double-precision SSIM with a direct 2-D window, the reference for values and gradients. */
    static double referenceMean(double[] x, double[] y, double[] weights, int w, int h, int channels) {
        double[] g = new double[11];
        double sum = 0;
        for (int k = 0; k < 11; k++) {
            g[k] = Math.exp(-(k - 5) * (k - 5) / (2 * 1.5 * 1.5));
            sum += g[k];
        }
        for (int k = 0; k < 11; k++) {
            g[k] /= sum;
        }
        double total = 0;
        double wsum = 0;
        int n = w * h;
        for (int c = 0; c < channels; c++) {
            for (int py = 0; py < h; py++) {
                for (int px = 0; px < w; px++) {
                    double mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
                    for (int dy = -5; dy <= 5; dy++) {
                        int yy0 = py + dy;
                        if (yy0 < 0 || yy0 >= h) {
                            continue;
                        }
                        for (int dx = -5; dx <= 5; dx++) {
                            int xx0 = px + dx;
                            if (xx0 < 0 || xx0 >= w) {
                                continue;
                            }
                            double gw = g[dy + 5] * g[dx + 5];
                            double a = x[c * n + yy0 * w + xx0];
                            double b = y[c * n + yy0 * w + xx0];
                            mx += gw * a;
                            my += gw * b;
                            xx += gw * a * a;
                            yy += gw * b * b;
                            xy += gw * a * b;
                        }
                    }
                    double s = (2 * mx * my + Ssim.C1) * (2 * (xy - mx * my) + Ssim.C2)
                            / ((mx * mx + my * my + Ssim.C1) * ((xx - mx * mx) + (yy - my * my) + Ssim.C2));
                    double wt = weights == null ? 1 : weights[py * w + px];
                    total += wt * s;
                    wsum += wt;
                }
            }
        }
        return total / wsum;
    }

    private static FloatImage random(SplittableRandom rnd, int w, int h, int c) {
        float[] d = new float[w * h * c];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rnd.nextDouble();
        }
        return new FloatImage(w, h, c, d);
    }

    private static double[] toDouble(float[] a) {
        return FiniteDifferences.toDouble(a, 0, a.length);
    }

    @Test
    void identicalImagesGiveOneAndZeroGradient() {
        FloatImage x = random(new SplittableRandom(1), 23, 17, 3);
        float[] grad = new float[x.data().length];
        assertEquals(1.0, Ssim.meanWithGradient(x, x.copy(), grad), 1e-12);
        for (float g : grad) {
            assertEquals(0, g, 1e-6);
        }
        for (float v : Ssim.map(x, x.copy())) {
            assertEquals(1.0, v, 1e-7);
        }
    }

    @Test
    void constantImagesMatchTheClosedForm() {
        int w = 24;
        int h = 21;
        float a = 0.5f;
        float b = 0.25f;
        float[] xa = new float[w * h];
        float[] ya = new float[w * h];
        java.util.Arrays.fill(xa, a);
        java.util.Arrays.fill(ya, b);
        float[] map = Ssim.map(new FloatImage(w, h, 1, xa), new FloatImage(w, h, 1, ya));
        // interior: the whole window sees the constants, variances vanish: (2ab + C1) / (a^2 + b^2 + C1)
        assertEquals(0.8000639795265515, map[10 * w + 12], 1e-5);
        assertEquals(0.8000639795265515, map[5 * w + 5], 1e-5);
        // corner: zero padding keeps only the window mass W = (sum_{k >= 5} g_k)^2, so mu = aW, E = a^2 W
        float[] k = Ssim.kernel();
        double half = 0;
        for (int i = 5; i < 11; i++) {
            half += k[i];
        }
        double wm = half * half;
        double var = wm - wm * wm;
        double expected = (2 * a * b * wm * wm + Ssim.C1) * (2 * a * b * var + Ssim.C2)
                / (((a * a + b * b) * wm * wm + Ssim.C1) * ((a * a + b * b) * var + Ssim.C2));
        assertEquals(expected, map[0], 1e-4);
        assertTrue(Math.abs(map[0] - map[10 * w + 12]) > 1e-3, "border must differ from the interior");
    }

    @Test
    void isSymmetric() {
        SplittableRandom rnd = new SplittableRandom(2);
        FloatImage x = random(rnd, 19, 14, 2);
        FloatImage y = random(rnd, 19, 14, 2);
        assertArrayEquals(Ssim.map(x, y), Ssim.map(y, x));
    }

    @Test
    void matchesTheDoublePrecisionReference() {
        SplittableRandom rnd = new SplittableRandom(3);
        FloatImage x = random(rnd, 31, 12, 3);
        FloatImage y = random(rnd, 31, 12, 3);
        double ref = referenceMean(toDouble(x.data()), toDouble(y.data()), null, 31, 12, 3);
        assertEquals(ref, Ssim.mean(x, y), 1e-5);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        SplittableRandom rnd = new SplittableRandom(4);
        int w = 15;
        int h = 12;
        FloatImage x = random(rnd, w, h, 2);
        // y correlated with x so the gradient is not dominated by noise
        FloatImage y = x.copy();
        for (int i = 0; i < y.data().length; i++) {
            y.data()[i] = (float) (0.7 * y.data()[i] + 0.3 * rnd.nextDouble());
        }
        float[] grad = new float[x.data().length];
        Ssim.meanWithGradient(x, y, grad);
        double[] yd = toDouble(y.data());
        double[] fd = FiniteDifferences.gradient(toDouble(x.data()), 1e-5,
                xd -> referenceMean(xd, yd, null, w, h, 2));
        FiniteDifferences.assertGradient("SSIM", grad, 0, fd, 1e-3);
    }

    @Test
    void weightedMeanAndItsGradientMatchTheReference() {
        SplittableRandom rnd = new SplittableRandom(5);
        int w = 13;
        int h = 11;
        FloatImage x = random(rnd, w, h, 3);
        FloatImage y = random(rnd, w, h, 3);
        FloatImage m = random(rnd, w, h, 1);
        for (int i = 0; i < m.data().length; i++) {
            m.data()[i] = m.data()[i] < 0.3 ? 0 : m.data()[i];
        }
        float[] grad = new float[x.data().length];
        java.util.Arrays.fill(grad, 0.25f);
        double v = Ssim.weightedMean(x, y, m, grad, 2.0, new Ssim.Workspace());
        double[] md = toDouble(m.data());
        double[] yd = toDouble(y.data());
        assertEquals(referenceMean(toDouble(x.data()), yd, md, w, h, 3), v, 1e-5);
        double[] fd = FiniteDifferences.gradient(toDouble(x.data()), 1e-5,
                xd -> 2.0 * referenceMean(xd, yd, md, w, h, 3));
        for (int i = 0; i < grad.length; i++) {
            grad[i] -= 0.25f; // it adds to what was there
        }
        FiniteDifferences.assertGradient("weighted SSIM", grad, 0, fd, 1e-3);
    }

    @Test
    void workspaceIsReusedAcrossSizes() {
        SplittableRandom rnd = new SplittableRandom(6);
        Ssim.Workspace ws = new Ssim.Workspace();
        FloatImage a = random(rnd, 12, 9, 3);
        FloatImage b = random(rnd, 12, 9, 3);
        FloatImage c = random(rnd, 7, 20, 3);
        FloatImage d = random(rnd, 7, 20, 3);
        double first = Ssim.weightedMean(a, b, null, null, 0, ws);
        double other = Ssim.weightedMean(c, d, null, null, 0, ws);
        assertEquals(first, Ssim.weightedMean(a, b, null, null, 0, ws), 0);
        assertEquals(Ssim.mean(c, d), other, 0);
    }
}
