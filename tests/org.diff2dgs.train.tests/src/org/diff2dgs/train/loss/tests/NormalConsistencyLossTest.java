package org.diff2dgs.train.loss.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Intrinsics;
import org.diff2dgs.train.loss.NormalConsistencyLoss;
import org.diff2dgs.train.loss.RenderedDepth;
import org.junit.jupiter.api.Test;

class NormalConsistencyLossTest {

    private static final int DEPTH = RenderOutput.AUX_DEPTH;
    private static final int ALPHA = RenderOutput.AUX_ALPHA;
    private static final int NORMAL = RenderOutput.AUX_NORMAL;
    private static final int MEDIAN = RenderOutput.AUX_MEDIAN_DEPTH;

    /**
     * Double reference of the 2DGS term written directly from its definition: back-project, central differences,
     * normalized cross product, 1 - alpha * dot, mean (weighted) over all pixels. {@code alphaConst} is the detached
     * alpha factor, kept apart from the alpha that enters the depth.
     */
    static double reference(double[] o, float[] alphaConst, float[] mask, Intrinsics k, double r) {
        int w = k.width();
        int h = k.height();
        int n = w * h;
        double[][] p = new double[n][3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double a = o[ALPHA * n + i];
                double d = (1 - r) * (a == 0 ? 0 : o[DEPTH * n + i] / a) + r * o[MEDIAN * n + i];
                p[i][0] = d * (x + 0.5 - k.cx()) / k.fx();
                p[i][1] = d * (y + 0.5 - k.cy()) / k.fy();
                p[i][2] = d;
            }
        }
        double s = 0;
        double z = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double m = mask == null ? 1 : mask[i];
                z += m;
                double[] ns = new double[3];
                if (x > 0 && y > 0 && x < w - 1 && y < h - 1) {
                    double[] a = new double[3];
                    double[] b = new double[3];
                    for (int c = 0; c < 3; c++) {
                        a[c] = p[i + w][c] - p[i - w][c];
                        b[c] = p[i + 1][c] - p[i - 1][c];
                    }
                    double[] cr = {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
                    double len = Math.max(Math.sqrt(cr[0] * cr[0] + cr[1] * cr[1] + cr[2] * cr[2]), 1e-12);
                    for (int c = 0; c < 3; c++) {
                        ns[c] = cr[c] / len;
                    }
                }
                double dot = 0;
                for (int c = 0; c < 3; c++) {
                    dot += o[(NORMAL + c) * n + i] * ns[c];
                }
                s += m * (1 - alphaConst[i] * dot);
            }
        }
        return s / z;
    }

    private static RenderOutput planeRender(Intrinsics k, double[] normal, double offset, float[] o) {
        int w = k.width();
        int h = k.height();
        int n = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double rx = (x + 0.5 - k.cx()) / k.fx();
                double ry = (y + 0.5 - k.cy()) / k.fy();
                // plane n . P = offset: along the ray P = D (rx, ry, 1)
                double d = offset / (normal[0] * rx + normal[1] * ry + normal[2]);
                o[ALPHA * n + i] = 1f;
                o[DEPTH * n + i] = (float) d;
            }
        }
        return L1ColorLossTest.render(w, h, new float[3 * n], o);
    }

    @Test
    void surfaceNormalOfAPlaneIsItsNormalFacingTheCamera() {
        Intrinsics k = new Intrinsics(30, 28, 9.3, 6.1, 20, 14);
        int n = k.width() * k.height();
        double[] normal = {0.3, -0.2, -1};
        double len = Math.sqrt(0.09 + 0.04 + 1);
        for (int c = 0; c < 3; c++) {
            normal[c] /= len;
        }
        float[] o = new float[7 * n];
        RenderOutput r = planeRender(k, normal, -2.0, o);
        NormalConsistencyLoss loss = new NormalConsistencyLoss(k, RenderedDepth.EXPECTED);
        float[] ns = new float[3 * n];
        loss.surfaceNormals(r, ns);
        for (int y = 1; y < k.height() - 1; y++) {
            for (int x = 1; x < k.width() - 1; x++) {
                int i = y * k.width() + x;
                for (int c = 0; c < 3; c++) {
                    assertEquals(normal[c], ns[c * n + i], 1e-4, "normal at " + x + "," + y);
                }
            }
        }
        // rendered normal = the true normal with alpha 1: only the border (no surface normal) costs 1 per pixel
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                o[(NORMAL + c) * n + i] = (float) normal[c];
            }
        }
        int border = 2 * k.width() + 2 * (k.height() - 2);
        assertEquals((double) border / n, loss.value(r, null), 1e-5);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        SplittableRandom rnd = new SplittableRandom(51);
        Intrinsics k = new Intrinsics(12, 11, 3.7, 4.2, 8, 7);
        int w = k.width();
        int h = k.height();
        int n = w * h;
        for (double ratio : new double[] {0, 0.3, 1}) {
            float[] o = new float[7 * n];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    float a = (float) (0.4 + 0.6 * rnd.nextDouble());
                    // a bumpy surface, so the normals vary and no cross product is degenerate
                    double d = 3 + 0.2 * x - 0.1 * y + 0.15 * rnd.nextDouble();
                    o[ALPHA * n + i] = a;
                    o[DEPTH * n + i] = (float) (a * d);
                    o[MEDIAN * n + i] = (float) (d + 0.1 * rnd.nextDouble());
                    for (int c = 0; c < 3; c++) {
                        o[(NORMAL + c) * n + i] = (float) (2 * rnd.nextDouble() - 1);
                    }
                }
            }
            float[] m = L1ColorLossTest.random(rnd, n);
            m[w + 2] = 0;
            float[] alphaConst = java.util.Arrays.copyOfRange(o, ALPHA * n, ALPHA * n + n);
            RenderOutput r = L1ColorLossTest.render(w, h, new float[3 * n], o);
            NormalConsistencyLoss loss = new NormalConsistencyLoss(k, new RenderedDepth(ratio));
            float[] grad = new float[7 * n];
            FloatImage mask = new FloatImage(w, h, 1, m);
            double v = loss.addGradient(r, mask, 0.5, grad);
            double[] od = FiniteDifferences.toDouble(o, 0, o.length);
            assertEquals(reference(od, alphaConst, m, k, ratio), v, 1e-6);
            double[] fd = FiniteDifferences.gradient(od, 1e-6, x -> 0.5 * reference(x, alphaConst, m, k, ratio));
            FiniteDifferences.assertGradient("normal consistency, median ratio " + ratio, grad, 0, fd, 1e-3);
            // the depth channels themselves receive gradient (not only the normals)
            double depthGrad = 0;
            for (int i = 0; i < n; i++) {
                depthGrad += Math.abs(grad[(ratio < 1 ? DEPTH : MEDIAN) * n + i]);
            }
            assertTrue(depthGrad > 0);
        }
    }
}
