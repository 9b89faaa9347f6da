package org.diff2dgs.inpaint.internal.flow;

/** Halving of row-major planes by 2x2 averaging (the last row or column is repeated when the size is odd). */
public final class Pyramids {

    private Pyramids() {
    }

    public static int half(int n) {
        return (n + 1) / 2;
    }

    public static float[] halve(float[] a, int w, int h) {
        int hw = half(w);
        int hh = half(h);
        float[] out = new float[hw * hh];
        for (int y = 0; y < hh; y++) {
            int y0 = 2 * y;
            int y1 = Math.min(h - 1, y0 + 1);
            for (int x = 0; x < hw; x++) {
                int x0 = 2 * x;
                int x1 = Math.min(w - 1, x0 + 1);
                out[y * hw + x] = 0.25f * (a[y0 * w + x0] + a[y0 * w + x1] + a[y1 * w + x0] + a[y1 * w + x1]);
            }
        }
        return out;
    }

    /** Bilinear upsampling of {@code a} (size cw x ch) to w x h, pixel centres aligned, values times {@code gain}. */
    public static float[] upsample(float[] a, int cw, int ch, int w, int h, float gain) {
        float[] out = new float[w * h];
        float sx = cw / (float) w;
        float sy = ch / (float) h;
        for (int y = 0; y < h; y++) {
            float cy = (y + 0.5f) * sy - 0.5f;
            for (int x = 0; x < w; x++) {
                out[y * w + x] = gain * Bilinear.sample(a, cw, ch, (x + 0.5f) * sx - 0.5f, cy);
            }
        }
        return out;
    }
}
