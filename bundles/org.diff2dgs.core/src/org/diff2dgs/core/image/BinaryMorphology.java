package org.diff2dgs.core.image;

import org.diff2dgs.core.model.FloatImage;

/**
 * Erosion and dilation of binary masks with a 3x3 square, repeated {@code n} times, as OpenCV's {@code cv2.erode} /
 * {@code cv2.dilate} with {@code MORPH_RECT (3, 3)} and {@code iterations = n} do in the published pipeline
 * (inpainting/diffueraser.py, read_mask). n repetitions of a 3x3 square equal one (2n+1)x(2n+1) square, which is
 * separable: a running count along rows, then along columns, so the cost does not grow with n. Pixels outside the
 * image never count (OpenCV's default border for both operations).
 */
public final class BinaryMorphology {

    private BinaryMorphology() {
    }

    /** The instrument mask (1 = instrument, > 0.5) after {@code erode} erosions and {@code dilate} dilations. */
    public static FloatImage restoreRegion(FloatImage instrumentMask, int erode, int dilate) {
        int w = instrumentMask.width();
        int h = instrumentMask.height();
        boolean[] m = new boolean[w * h];
        float[] v = instrumentMask.data();
        for (int i = 0; i < m.length; i++) {
            m[i] = v[i] > 0.5f;
        }
        m = dilate(erode(m, w, h, erode), w, h, dilate);
        float[] out = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i] ? 1f : 0f;
        }
        return new FloatImage(w, h, 1, out);
    }

    /** True where any in-image pixel within Chebyshev distance {@code r} is true. */
    public static boolean[] dilate(boolean[] mask, int w, int h, int r) {
        if (r <= 0) {
            return mask.clone();
        }
        return window(mask, w, h, r, true);
    }

    /** True where every in-image pixel within Chebyshev distance {@code r} is true. */
    public static boolean[] erode(boolean[] mask, int w, int h, int r) {
        if (r <= 0) {
            return mask.clone();
        }
        return window(mask, w, h, r, false);
    }

    /** any = true: dilation (count of true > 0); any = false: erosion (count of false == 0). */
    private static boolean[] window(boolean[] mask, int w, int h, int r, boolean any) {
        boolean[] rows = new boolean[mask.length];
        int[] prefix = new int[Math.max(w, h) + 1];
        for (int y = 0; y < h; y++) {
            int base = y * w;
            for (int x = 0; x < w; x++) {
                prefix[x + 1] = prefix[x] + (mask[base + x] == any ? 1 : 0);
            }
            for (int x = 0; x < w; x++) {
                int c = prefix[Math.min(w, x + r + 1)] - prefix[Math.max(0, x - r)];
                rows[base + x] = any ? c > 0 : c == 0;
            }
        }
        boolean[] out = new boolean[mask.length];
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                prefix[y + 1] = prefix[y] + (rows[y * w + x] == any ? 1 : 0);
            }
            for (int y = 0; y < h; y++) {
                int c = prefix[Math.min(h, y + r + 1)] - prefix[Math.max(0, y - r)];
                out[y * w + x] = any ? c > 0 : c == 0;
            }
        }
        return out;
    }
}
