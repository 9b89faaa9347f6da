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
        private int width = -1;
        private int height = -1;
        /** Images as row arrays: the JIT vectorizes a[i] += g * b[i] only when both sides use the same index. */
        private float[][][] buffers;
        private float[][] padded;
        private float[][] shifted;
        private double[] rowSums;

        void ensure(int width, int height) {
            if (width != this.width || height != this.height) {
                buffers = new float[13][height][width];
                padded = new float[height][width + WINDOW - 1];
                shifted = new float[height][width];
                rowSums = new double[height];
                this.width = width;
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
        float[][][] b = ws.buffers;
        // buffers: 0..2 products xx, yy, xy (later the adjoint maps), 3..7 horizontally filtered x, y, xx, yy, xy,
        // 8..12 fully filtered mu_x, mu_y, E_xx, E_yy, E_xy (later the filtered adjoint maps)
        double[] rowSums = ws.rowSums;

        double totalWeight = 0;
        if (weights == null) {
            totalWeight = (double) n * channels;
        } else {
            for (float v : weights.data()) {
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
        final float[] x = xi.data();
        final float[] y = yi.data();
        final float[] wt = weights == null ? null : weights.data();
        final boolean wantGrad = grad != null;

        double sum = 0;
        for (int c = 0; c < channels; c++) {
            final int off = c * n;
            final int wtOff = weights == null || weights.channels() == 1 ? 0 : off;
            IntStream.range(0, h).parallel().forEach(r -> {
                int base = off + r * w;
                float[] pxx = b[0][r];
                float[] pyy = b[1][r];
                float[] pxy = b[2][r];
                for (int i = 0; i < w; i++) {
                    float xv = x[base + i];
                    float yv = y[base + i];
                    pxx[i] = xv * xv;
                    pyy[i] = yv * yv;
                    pxy[i] = xv * yv;
                }
                float[] pad = ws.padded[r];
                float[] tmp = ws.shifted[r];
                System.arraycopy(x, base, pad, RADIUS, w);
                horizontal(pad, tmp, b[3][r]);
                System.arraycopy(y, base, pad, RADIUS, w);
                horizontal(pad, tmp, b[4][r]);
                for (int k = 0; k < 3; k++) {
                    System.arraycopy(b[k][r], 0, pad, RADIUS, w);
                    horizontal(pad, tmp, b[5 + k][r]);
                }
            });
            IntStream.range(0, h).parallel().forEach(r -> {
                for (int k = 0; k < 5; k++) {
                    vertical(b[3 + k], b[8 + k][r], r);
                }
                double rowSum = 0;
                float[] mxr = b[8][r];
                float[] myr = b[9][r];
                float[] exxr = b[10][r];
                float[] eyyr = b[11][r];
                float[] exyr = b[12][r];
                int base = r * w;
                for (int i = 0; i < w; i++) {
                    double mx = mxr[i];
                    double my = myr[i];
                    double exx = exxr[i];
                    double eyy = eyyr[i];
                    double exy = exyr[i];
                    double a1 = 2 * mx * my + C1;
                    double a2 = 2 * (exy - mx * my) + C2;
                    double b1 = mx * mx + my * my + C1;
                    double b2 = (exx - mx * mx) + (eyy - my * my) + C2;
                    double den = b1 * b2;
                    double s = a1 * a2 / den;
                    if (mapOut != null) {
                        mapOut[off + base + i] = (float) s;
                    }
                    double weight = wt == null ? 1 : wt[wtOff + base + i];
                    rowSum += weight * s;
                    if (wantGrad) {
                        // dS/dmu_x, dS/dE_xx, dS/dE_xy written without dividing by A1 or A2 (they can be 0)
                        double g = weight * invTotal * gradScale;
                        double dMx = (2 * my * a2 - 2 * my * a1) / den - s * (2 * mx / b1 - 2 * mx / b2);
                        double dExx = -s / b2;
                        double dExy = 2 * a1 / den;
                        b[0][r][i] = (float) (g * dMx);
                        b[1][r][i] = (float) (g * dExx);
                        b[2][r][i] = (float) (g * dExy);
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
                    float[] pad = ws.padded[r];
                    float[] tmp = ws.shifted[r];
                    for (int k = 0; k < 3; k++) {
                        System.arraycopy(b[k][r], 0, pad, RADIUS, w);
                        horizontal(pad, tmp, b[3 + k][r]);
                    }
                });
                IntStream.range(0, h).parallel().forEach(r -> {
                    vertical(b[3], b[8][r], r);
                    vertical(b[4], b[9][r], r);
                    vertical(b[5], b[10][r], r);
                    float[] ga = b[8][r];
                    float[] gxx = b[9][r];
                    float[] gxy = b[10][r];
                    int base = off + r * w;
                    for (int i = 0; i < w; i++) {
                        grad[base + i] += ga[i] + 2 * x[base + i] * gxx[i] + y[base + i] * gxy[i];
                    }
                });
            }
        }
        return sum * invTotal;
    }

    /**
     * One row filtered along x with zero padding: {@code pad} holds the row between RADIUS zeros on each side; each
     * tap is a shifted copy into {@code tmp} followed by a same-index multiply-add, which the JIT vectorizes.
     */
    private static void horizontal(float[] pad, float[] tmp, float[] out) {
        int w = out.length;
        Arrays.fill(out, 0f);
        for (int k = 0; k < WINDOW; k++) {
            System.arraycopy(pad, k, tmp, 0, w);
            float g = KERNEL[k];
            for (int i = 0; i < w; i++) {
                out[i] += g * tmp[i];
            }
        }
    }

    /** Row r of the image (row arrays) filtered along y with zero padding. */
    private static void vertical(float[][] in, float[] out, int r) {
        int h = in.length;
        Arrays.fill(out, 0f);
        for (int k = 0; k < WINDOW; k++) {
            int rr = r + k - RADIUS;
            if (rr < 0 || rr >= h) {
                continue;
            }
            float g = KERNEL[k];
            float[] src = in[rr];
            for (int i = 0; i < out.length; i++) {
                out[i] += g * src[i];
            }
        }
    }
}
