package org.diff2dgs.train.loss;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Intrinsics;

/**
 * The 2DGS normal-consistency regularizer (2DGS paper, Sec. 4.2, as in its public code): the mean over pixels of
 * 1 - &lt;N_r, alpha * N_s&gt;, where N_r is the rendered normal channel (the accumulated sum of w_i n_i, not
 * normalized) and N_s is the surface normal of the rendered depth map: back-project every pixel centre with the
 * intrinsics (P = D * K^-1 (x + 0.5, y + 0.5, 1)), take central differences of the points along y and x, normalize
 * their cross product. N_s is 0 on the one-pixel border, where the term is 1. The alpha factor is treated as a
 * constant (detached, as in 2DGS, because N_r already carries alpha); the gradient reaches N_r and, through the
 * depth, the depth-sum, alpha and median channels. Everything is in the camera frame, where our rasterizer writes the
 * normals (the dot product does not change under the world rotation 2DGS applies).
 *
 * <p>Holds work buffers between calls: one instance per training loop, not shared between threads.
 */
public final class NormalConsistencyLoss {

    private static final double NORMALIZE_EPS = 1e-12;

    private final Intrinsics intrinsics;
    private final RenderedDepth depth;
    private float[] depthBuffer = new float[0];
    private float[] aBar = new float[0];
    private float[] bBar = new float[0];

    public NormalConsistencyLoss(Intrinsics intrinsics, RenderedDepth depth) {
        this.intrinsics = intrinsics;
        this.depth = depth;
    }

    public double value(RenderOutput render, FloatImage mask) {
        return evaluate(render, mask, 0, null);
    }

    /** Adds {@code weight} times dL/d(auxiliary channels) into {@code dOthers}. */
    public double addGradient(RenderOutput render, FloatImage mask, double weight, float[] dOthers) {
        if (dOthers == null || dOthers.length != RenderOutput.AUX_CHANNELS * render.pixels()) {
            throw new IllegalArgumentException("auxiliary gradient needs " + RenderOutput.AUX_CHANNELS * render.pixels()
                    + " values");
        }
        return evaluate(render, mask, weight, dOthers);
    }

    /** The unit surface normals of the rendered depth (3 planar channels, 0 on the border), e.g. to display them. */
    public void surfaceNormals(RenderOutput render, float[] out) {
        int w = render.width();
        int h = render.height();
        int n = w * h;
        checkSize(render);
        fillDepth(render);
        Arrays.fill(out, 0, 3 * n, 0f);
        double[] nv = new double[3];
        double[] a = new double[3];
        double[] b = new double[3];
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                double len = crossAt(x, y, w, a, b, nv);
                double inv = 1 / Math.max(len, NORMALIZE_EPS);
                int i = y * w + x;
                out[i] = (float) (nv[0] * inv);
                out[n + i] = (float) (nv[1] * inv);
                out[2 * n + i] = (float) (nv[2] * inv);
            }
        }
    }

    private void checkSize(RenderOutput render) {
        if (render.width() != intrinsics.width() || render.height() != intrinsics.height()) {
            throw new IllegalArgumentException("render is " + render.width() + "x" + render.height()
                    + " but the intrinsics are for " + intrinsics.width() + "x" + intrinsics.height());
        }
    }

    private void fillDepth(RenderOutput render) {
        int n = render.pixels();
        if (depthBuffer.length != n) {
            depthBuffer = new float[n];
            aBar = new float[3 * n];
            bBar = new float[3 * n];
        }
        float[] o = render.others();
        int w = render.width();
        IntStream.range(0, render.height()).parallel().forEach(r -> {
            for (int i = r * w; i < (r + 1) * w; i++) {
                depthBuffer[i] = (float) depth.at(o, n, i);
            }
        });
    }

    private double rayX(int x) {
        return (x + 0.5 - intrinsics.cx()) / intrinsics.fx();
    }

    private double rayY(int y) {
        return (y + 0.5 - intrinsics.cy()) / intrinsics.fy();
    }

    /**
     * n = (P(x, y+1) - P(x, y-1)) x (P(x+1, y) - P(x-1, y)) into nv; returns |n|. This order makes the normal of a
     * surface facing the camera point towards it (negative z), like the rendered normals.
     */
    private double crossAt(int x, int y, int w, double[] a, double[] b, double[] nv) {
        diffs(x, y, w, a, b);
        nv[0] = a[1] * b[2] - a[2] * b[1];
        nv[1] = a[2] * b[0] - a[0] * b[2];
        nv[2] = a[0] * b[1] - a[1] * b[0];
        return Math.sqrt(nv[0] * nv[0] + nv[1] * nv[1] + nv[2] * nv[2]);
    }

    private void diffs(int x, int y, int w, double[] a, double[] b) {
        float[] d = depthBuffer;
        int i = y * w + x;
        double dDown = d[i + w];
        double dUp = d[i - w];
        double rx = rayX(x);
        a[0] = (dDown - dUp) * rx;
        a[1] = dDown * rayY(y + 1) - dUp * rayY(y - 1);
        a[2] = dDown - dUp;
        double dRight = d[i + 1];
        double dLeft = d[i - 1];
        double ry = rayY(y);
        b[0] = dRight * rayX(x + 1) - dLeft * rayX(x - 1);
        b[1] = (dRight - dLeft) * ry;
        b[2] = dRight - dLeft;
    }

    private double evaluate(RenderOutput render, FloatImage mask, double weight, float[] dOthers) {
        int w = render.width();
        int h = render.height();
        int n = w * h;
        checkSize(render);
        Masks.checkMask(mask, w, h, 1);
        double total = mask == null ? n : L1ColorLoss.maskSum(mask);
        if (total <= 0) {
            return 0;
        }
        fillDepth(render);
        float[] o = render.others();
        float[] m = mask == null ? null : mask.data();
        int alphaOff = RenderOutput.AUX_ALPHA * n;
        int nOff = RenderOutput.AUX_NORMAL * n;
        double scale = weight / total;
        boolean grad = dOthers != null;
        if (grad) {
            Arrays.fill(aBar, 0f);
            Arrays.fill(bBar, 0f);
        }
        double sum = Rows.sum(h, y -> {
            double s = 0;
            double[] a = new double[3];
            double[] b = new double[3];
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                float mv = m == null ? 1f : m[i];
                if (mv == 0) {
                    continue;
                }
                if (y == 0 || y == h - 1 || x == 0 || x == w - 1) {
                    s += mv; // no surface normal on the border: the term is 1 and has no gradient
                    continue;
                }
                diffs(x, y, w, a, b);
                double c0 = a[1] * b[2] - a[2] * b[1];
                double c1 = a[2] * b[0] - a[0] * b[2];
                double c2 = a[0] * b[1] - a[1] * b[0];
                double len = Math.sqrt(c0 * c0 + c1 * c1 + c2 * c2);
                double inv = 1 / Math.max(len, NORMALIZE_EPS);
                double s0 = c0 * inv;
                double s1 = c1 * inv;
                double s2 = c2 * inv;
                double alpha = o[alphaOff + i];
                double r0 = o[nOff + i];
                double r1 = o[nOff + n + i];
                double r2 = o[nOff + 2 * n + i];
                s += mv * (1 - alpha * (r0 * s0 + r1 * s1 + r2 * s2));
                if (!grad) {
                    continue;
                }
                double g = -mv * alpha * scale;
                dOthers[nOff + i] += (float) (g * s0);
                dOthers[nOff + n + i] += (float) (g * s1);
                dOthers[nOff + 2 * n + i] += (float) (g * s2);
                // dL/dN_s = g * N_r, then through the normalization (F.normalize: plain division when clamped)
                double gs0 = g * r0;
                double gs1 = g * r1;
                double gs2 = g * r2;
                double dn0;
                double dn1;
                double dn2;
                if (len > NORMALIZE_EPS) {
                    double proj = s0 * gs0 + s1 * gs1 + s2 * gs2;
                    dn0 = (gs0 - s0 * proj) * inv;
                    dn1 = (gs1 - s1 * proj) * inv;
                    dn2 = (gs2 - s2 * proj) * inv;
                } else {
                    dn0 = gs0 * inv;
                    dn1 = gs1 * inv;
                    dn2 = gs2 * inv;
                }
                // n = a x b: dL/da = b x dn, dL/db = dn x a
                aBar[3 * i] = (float) (b[1] * dn2 - b[2] * dn1);
                aBar[3 * i + 1] = (float) (b[2] * dn0 - b[0] * dn2);
                aBar[3 * i + 2] = (float) (b[0] * dn1 - b[1] * dn0);
                bBar[3 * i] = (float) (dn1 * a[2] - dn2 * a[1]);
                bBar[3 * i + 1] = (float) (dn2 * a[0] - dn0 * a[2]);
                bBar[3 * i + 2] = (float) (dn0 * a[1] - dn1 * a[0]);
            }
            return s;
        });
        if (grad) {
            // gather: P(q) enters a at q + w (plus) and q - w (minus), b at q + 1 (plus) and q - 1 (minus)
            IntStream.range(0, h).parallel().forEach(y -> {
                double ry = rayY(y);
                for (int x = 0; x < w; x++) {
                    int q = y * w + x;
                    double p0 = 0;
                    double p1 = 0;
                    double p2 = 0;
                    if (y >= 1) {
                        int k = 3 * (q - w);
                        p0 += aBar[k];
                        p1 += aBar[k + 1];
                        p2 += aBar[k + 2];
                    }
                    if (y + 1 < h) {
                        int k = 3 * (q + w);
                        p0 -= aBar[k];
                        p1 -= aBar[k + 1];
                        p2 -= aBar[k + 2];
                    }
                    if (x >= 1) {
                        int k = 3 * (q - 1);
                        p0 += bBar[k];
                        p1 += bBar[k + 1];
                        p2 += bBar[k + 2];
                    }
                    if (x + 1 < w) {
                        int k = 3 * (q + 1);
                        p0 -= bBar[k];
                        p1 -= bBar[k + 1];
                        p2 -= bBar[k + 2];
                    }
                    double dD = p0 * rayX(x) + p1 * ry + p2;
                    depth.backward(o, n, q, dD, dOthers);
                }
            });
        }
        return sum / total;
    }
}
