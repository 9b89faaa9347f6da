package org.diff2dgs.core.image;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.diff2dgs.core.model.FloatImage;

/**
 * Structural similarity (Wang et al. 2004) exactly as the 3DGS / 2DGS / Deform3DGS training and evaluation code
 * computes it, so that our numbers are comparable with the papers' tables: an 11x11 Gaussian window (sigma 1.5,
 * normalized to sum 1), evaluated per channel with zero padding of 5 so that the map has the image's size (PyTorch
 * {@code conv2d(padding=window // 2)}), C1 = 0.01^2, C2 = 0.03^2 (dynamic range 1), and the mean taken over every
 * channel and pixel including the zero-padded border.
 *
 * <p>The gradient of the mean with respect to the first image is analytic: the map depends on x only through three
 * Gaussian-filtered images (mu_x = G*x, E_xx = G*(x^2), E_xy = G*(x y)), and the adjoint of a zero-padded 'same'
 * convolution with a symmetric kernel is the same convolution, so the gradient costs three more separable filters.
 *
 * <p>Static methods allocate their work buffers per call; training loops pass a {@link Workspace} to reuse them.
 */
public final class Ssim {

    public static final int WINDOW = 11;
    public static final double SIGMA = 1.5;
    public static final double C1 = 0.01 * 0.01;
    public static final double C2 = 0.03 * 0.03;

    private static final int RADIUS = WINDOW / 2;
    private static final float[] KERNEL = gaussianKernel();

    private Ssim() {
    }

    /** The normalized 1-D window; the 2-D window is its outer product. */
    public static float[] kernel() {
        return KERNEL.clone();
    }

    /** Per channel, per pixel SSIM, planar {@code c * H * W + y * W + x}. */
    public static float[] map(FloatImage x, FloatImage y) {
        checkSizes(x, y);
        float[] out = new float[x.data().length];
        compute(x, y, null, out, null, 0, new Workspace());
        return out;
    }

    /** Mean SSIM over all channels and pixels. */
    public static double mean(FloatImage x, FloatImage y) {
        checkSizes(x, y);
        return compute(x, y, null, null, null, 0, new Workspace());
    }

    /**
     * Mean SSIM and its gradient with respect to {@code x}, written (not added) into {@code dMeanDx} (length of
     * {@code x.data()}).
     */
    public static double meanWithGradient(FloatImage x, FloatImage y, float[] dMeanDx) {
        checkSizes(x, y);
        if (dMeanDx == null || dMeanDx.length != x.data().length) {
            throw new IllegalArgumentException("gradient array must have " + x.data().length + " values");
        }
        Arrays.fill(dMeanDx, 0f);
        return compute(x, y, null, null, dMeanDx, 1, new Workspace());
    }

    /**
     * Weighted mean SSIM, sum_cp m_cp S_cp / sum_cp m_cp, where the weights are a mask or weight image with one
     * channel (shared by all channels) or as many channels as x; null weights give the plain mean. When
     * {@code gradient} is not null, {@code gradientScale} times the gradient with respect to x is ADDED to it. Returns
     * 0 (and adds nothing) when all weights are zero.
     */
    public static double weightedMean(FloatImage x, FloatImage y, FloatImage weights, float[] gradient,
            double gradientScale, Workspace workspace) {
        checkSizes(x, y);
        if (weights != null && (!weights.sameSize(x) || (weights.channels() != 1 && weights.channels() != x.channels()))) {
            throw new IllegalArgumentException("SSIM weights " + weights + " do not fit image " + x);
        }
        if (gradient != null && gradient.length != x.data().length) {
            throw new IllegalArgumentException("gradient array must have " + x.data().length + " values");
        }
        return compute(x, y, weights, null, gradient, gradientScale, workspace);
    }

    private static void checkSizes(FloatImage x, FloatImage y) {
        if (!x.sameSize(y) || x.channels() != y.channels()) {
            throw new IllegalArgumentException("SSIM needs images of one size, got " + x + " and " + y);
        }
    }

    private static float[] gaussianKernel() {
        double[] g = new double[WINDOW];
        double sum = 0;
        for (int k = 0; k < WINDOW; k++) {
            double d = k - RADIUS;
            g[k] = Math.exp(-d * d / (2 * SIGMA * SIGMA));
            sum += g[k];
        }
        float[] f = new float[WINDOW];
        for (int k = 0; k < WINDOW; k++) {
            f[k] = (float) (g[k] / sum);
        }
        return f;
    }

    /**
     * Work buffers for one image size, reused between calls of {@link #weightedMean}. Not thread-safe: one per
     * training loop.
     */
    public static final class Workspace {
        private int size = -1;
        private int height = -1;
        private float[][] buffers;
        private double[] rowSums;

        void ensure(int width, int height) {
            int n = width * height;
            if (n != size || height != this.height) {
                buffers = new float[13][n];
                rowSums = new double[height];
                size = n;
                this.height = height;
            }
        }
    }

    /**
     * One pass per channel: filtered moments, the map (or its weighted sum), and when asked the gradient. Returns the
     * (weighted) mean.
     */
    private static double compute(FloatImage xi, FloatImage yi, FloatImage weights, float[] mapOut, float[] grad,
            double gradScale, Workspace ws) {
        int w = xi.width();
        int h = xi.height();
        int n = w * h;
        int channels = xi.channels();
        ws.ensure(w, h);
        float[][] b = ws.buffers;
        // buffers: 0..2 products xx, yy, xy (later the adjoint maps), 3..7 horizontally filtered x, y, xx, yy, xy,
        // 8..12 fully filtered mu_x, mu_y, E_xx, E_yy, E_xy
        double[] rowSums = ws.rowSums;

        double totalWeight = 0;
        if (weights == null) {
            totalWeight = (double) n * channels;
        } else {
            float[] m = weights.data();
            for (float v : m) {
                totalWeight += v;
            }
            if (weights.channels() == 1) {
                totalWeight *= channels;
            }
        }
        if (totalWeight <= 0) {
            return 0;
        }
        double invTotal = 1.0 / totalWeight;

        double sum = 0;
        for (int c = 0; c < channels; c++) {
            final int off = c * n;
            final float[] x = xi.data();
            final float[] y = yi.data();
            final float[] wt = weights == null ? null : weights.data();
            final int wtOff = weights == null || weights.channels() == 1 ? 0 : off;
            IntStream.range(0, h).parallel().forEach(r -> {
                int base = r * w;
                for (int i = base; i < base + w; i++) {
                    float xv = x[off + i];
                    float yv = y[off + i];
                    b[0][i] = xv * xv;
                    b[1][i] = yv * yv;
                    b[2][i] = xv * yv;
                }
                horizontal(x, off + base, b[3], base, w);
                horizontal(y, off + base, b[4], base, w);
                horizontal(b[0], base, b[5], base, w);
                horizontal(b[1], base, b[6], base, w);
                horizontal(b[2], base, b[7], base, w);
            });
            final boolean wantGrad = grad != null;
            IntStream.range(0, h).parallel().forEach(r -> {
                for (int k = 0; k < 5; k++) {
                    vertical(b[3 + k], b[8 + k], r, w, h);
                }
                double rowSum = 0;
                int base = r * w;
                for (int i = base; i < base + w; i++) {
                    double mx = b[8][i];
                    double my = b[9][i];
                    double exx = b[10][i];
                    double eyy = b[11][i];
                    double exy = b[12][i];
                    double a1 = 2 * mx * my + C1;
                    double a2 = 2 * (exy - mx * my) + C2;
                    double b1 = mx * mx + my * my + C1;
                    double b2 = (exx - mx * mx) + (eyy - my * my) + C2;
                    double den = b1 * b2;
                    double s = a1 * a2 / den;
                    if (mapOut != null) {
                        mapOut[off + i] = (float) s;
                    }
                    double weight = wt == null ? 1 : wt[wtOff + i];
                    rowSum += weight * s;
                    if (wantGrad) {
                        // dS/dmu_x, dS/dE_xx, dS/dE_xy written without dividing by A1 or A2 (they can be 0)
                        double g = weight * invTotal * gradScale;
                        double dMx = (2 * my * a2 - 2 * my * a1) / den - s * (2 * mx / b1 - 2 * mx / b2);
                        double dExx = -s / b2;
                        double dExy = 2 * a1 / den;
                        b[0][i] = (float) (g * dMx);
                        b[1][i] = (float) (g * dExx);
                        b[2][i] = (float) (g * dExy);
                    }
                }
                rowSums[r] = rowSum;
            });
            for (int r = 0; r < h; r++) {
                sum += rowSums[r];
            }
            if (wantGrad) {
                // adjoint of the three filters: the same zero-padded separable filter (symmetric kernel)
                IntStream.range(0, h).parallel().forEach(r -> {
                    int base = r * w;
                    horizontal(b[0], base, b[3], base, w);
                    horizontal(b[1], base, b[4], base, w);
                    horizontal(b[2], base, b[5], base, w);
                });
                IntStream.range(0, h).parallel().forEach(r -> {
                    vertical(b[3], b[8], r, w, h);
                    vertical(b[4], b[9], r, w, h);
                    vertical(b[5], b[10], r, w, h);
                    int base = r * w;
                    for (int i = base; i < base + w; i++) {
                        grad[off + i] += b[8][i] + 2 * x[off + i] * b[9][i] + y[off + i] * b[10][i];
                    }
                });
            }
        }
        return sum * invTotal;
    }

    /** One row filtered along x with zero padding; written as shifted multiply-adds so the JIT vectorizes them. */
    private static void horizontal(float[] in, int inBase, float[] out, int outBase, int w) {
        Arrays.fill(out, outBase, outBase + w, 0f);
        for (int k = 0; k < WINDOW; k++) {
            int d = k - RADIUS;
            float g = KERNEL[k];
            int from = Math.max(0, -d);
            int to = Math.min(w, w - d);
            int o = outBase;
            int s = inBase + d;
            for (int i = from; i < to; i++) {
                out[o + i] += g * in[s + i];
            }
        }
    }

    /** Row r of the image filtered along y with zero padding. */
    private static void vertical(float[] in, float[] out, int r, int w, int h) {
        int outBase = r * w;
        Arrays.fill(out, outBase, outBase + w, 0f);
        for (int k = 0; k < WINDOW; k++) {
            int rr = r + k - RADIUS;
            if (rr < 0 || rr >= h) {
                continue;
            }
            float g = KERNEL[k];
            int inBase = rr * w;
            for (int i = 0; i < w; i++) {
                out[outBase + i] += g * in[inBase + i];
            }
        }
    }
}
