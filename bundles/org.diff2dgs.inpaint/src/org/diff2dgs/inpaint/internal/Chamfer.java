package org.diff2dgs.inpaint.internal;

/**
 * Distance (in pixels, 3-4 chamfer approximation of the Euclidean distance, Borgefors 1986) from every pixel to the
 * nearest pixel of a seed set, in two raster passes.
 */
final class Chamfer {

    private Chamfer() {
    }

    /** Distances to the nearest seed; Float.MAX_VALUE / 2 where there is none. */
    static float[] distance(boolean[] seed, int w, int h) {
        float inf = Float.MAX_VALUE / 2;
        float[] d = new float[w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = seed[i] ? 0 : inf;
        }
        final float a = 1f;
        final float b = 1.4f;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                float v = d[i];
                if (x > 0) {
                    v = Math.min(v, d[i - 1] + a);
                }
                if (y > 0) {
                    v = Math.min(v, d[i - w] + a);
                    if (x > 0) {
                        v = Math.min(v, d[i - w - 1] + b);
                    }
                    if (x < w - 1) {
                        v = Math.min(v, d[i - w + 1] + b);
                    }
                }
                d[i] = v;
            }
        }
        for (int y = h - 1; y >= 0; y--) {
            for (int x = w - 1; x >= 0; x--) {
                int i = y * w + x;
                float v = d[i];
                if (x < w - 1) {
                    v = Math.min(v, d[i + 1] + a);
                }
                if (y < h - 1) {
                    v = Math.min(v, d[i + w] + a);
                    if (x < w - 1) {
                        v = Math.min(v, d[i + w + 1] + b);
                    }
                    if (x > 0) {
                        v = Math.min(v, d[i + w - 1] + b);
                    }
                }
                d[i] = v;
            }
        }
        return d;
    }
}
