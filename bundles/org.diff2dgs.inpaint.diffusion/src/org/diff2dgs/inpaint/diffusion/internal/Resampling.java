package org.diff2dgs.inpaint.diffusion.internal;

/**
 * Resizing between the clip's size and the graphs' static size, on planar float images.
 */
final class Resampling {

    private Resampling() {
    }

    /** Bilinear with pixel centres at +0.5 and clamped borders; identity when the sizes agree. */
    static float[] bilinear(float[] src, int channels, int sw, int sh, int dw, int dh) {
        if (sw == dw && sh == dh) {
            return src.clone();
        }
        float[] out = new float[channels * dw * dh];
        double sx = (double) sw / dw;
        double sy = (double) sh / dh;
        for (int y = 0; y < dh; y++) {
            double fy = Math.max(0, Math.min(sh - 1, (y + 0.5) * sy - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(sh - 1, y0 + 1);
            double wy = fy - y0;
            for (int x = 0; x < dw; x++) {
                double fx = Math.max(0, Math.min(sw - 1, (x + 0.5) * sx - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(sw - 1, x0 + 1);
                double wx = fx - x0;
                for (int c = 0; c < channels; c++) {
                    int base = c * sw * sh;
                    double top = src[base + y0 * sw + x0] * (1 - wx) + src[base + y0 * sw + x1] * wx;
                    double bottom = src[base + y1 * sw + x0] * (1 - wx) + src[base + y1 * sw + x1] * wx;
                    out[c * dw * dh + y * dw + x] = (float) (top * (1 - wy) + bottom * wy);
                }
            }
        }
        return out;
    }

    /**
     * Nearest neighbour, source index floor(dst * src / dst) as torch's {@code interpolate(mode="nearest")}, which the
     * published pipeline uses to bring the mask to latent size (pipeline_diffueraser.py, step 6.1 of __call__).
     */
    static float[] nearest(float[] src, int sw, int sh, int dw, int dh) {
        float[] out = new float[dw * dh];
        for (int y = 0; y < dh; y++) {
            int yy = Math.min(sh - 1, (int) Math.floor(y * (double) sh / dh));
            for (int x = 0; x < dw; x++) {
                int xx = Math.min(sw - 1, (int) Math.floor(x * (double) sw / dw));
                out[y * dw + x] = src[yy * sw + xx];
            }
        }
        return out;
    }
}
