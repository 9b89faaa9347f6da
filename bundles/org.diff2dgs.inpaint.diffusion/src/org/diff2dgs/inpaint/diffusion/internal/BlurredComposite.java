package org.diff2dgs.inpaint.diffusion.internal;

/**
 * The final composite of the published pipeline (inpainting/diffueraser.py:401-408): the
 * generated frame replaces the original inside the restored region, and a 21x21 Gaussian blur of the region feathers
 * the border outside it: {@code m = 1 - (1 - region) (1 - blur(region))}, {@code out = m generated + (1 - m)
 * original}. The blur is OpenCV's for ksize 21 and sigma 0, i.e. sigma = 0.3 ((21 - 1) / 2 - 1) + 0.8 = 3.5, with
 * reflect-101 borders, on the 8-bit mask (so values round to 1/255); pixels more than 10 pixels from the region keep
 * their original value exactly.
 */
public final class BlurredComposite {

    public static final int KERNEL = 21;
    public static final double SIGMA = 0.3 * ((KERNEL - 1) * 0.5 - 1) + 0.8;

    private BlurredComposite() {
    }

    /** The 1-d kernel, normalized to sum 1. */
    public static double[] kernel() {
        double[] k = new double[KERNEL];
        int r = KERNEL / 2;
        double sum = 0;
        for (int i = 0; i < KERNEL; i++) {
            k[i] = Math.exp(-(i - r) * (double) (i - r) / (2 * SIGMA * SIGMA));
            sum += k[i];
        }
        for (int i = 0; i < KERNEL; i++) {
            k[i] /= sum;
        }
        return k;
    }

    /** The composite weight m per pixel for a 0/1 region of {@code w x h}. */
    public static float[] weights(float[] region, int w, int h) {
        double[] k = kernel();
        int r = KERNEL / 2;
        double[] rows = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int i = -r; i <= r; i++) {
                    s += k[i + r] * (region[y * w + reflect101(x + i, w)] > 0.5f ? 255 : 0);
                }
                rows[y * w + x] = s;
            }
        }
        float[] m = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                if (region[p] > 0.5f) {
                    m[p] = 1f;
                    continue;
                }
                double s = 0;
                for (int i = -r; i <= r; i++) {
                    s += k[i + r] * rows[reflect101(y + i, h) * w + x];
                }
                m[p] = (float) (Math.rint(s) / 255.0);
            }
        }
        return m;
    }

    /** OpenCV's default border: mirror without repeating the edge pixel (dcb|abcd|cba). */
    public static int reflect101(int i, int n) {
        if (n == 1) {
            return 0;
        }
        while (i < 0 || i >= n) {
            i = i < 0 ? -i : 2 * (n - 1) - i;
        }
        return i;
    }

    /** out = m generated + (1 - m) original, planar colour of {@code pixels} per channel. */
    public static float[] compose(float[] generated, float[] original, float[] m, int pixels) {
        float[] out = new float[original.length];
        for (int c = 0; c < original.length / pixels; c++) {
            for (int p = 0; p < pixels; p++) {
                int i = c * pixels + p;
                out[i] = m[p] == 0f ? original[i] : m[p] * generated[i] + (1 - m[p]) * original[i];
            }
        }
        return out;
    }
}
