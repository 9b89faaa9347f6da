package org.diff2dgs.ui.internal.support;

import java.util.Arrays;

import org.diff2dgs.core.model.FloatImage;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;

/** Frames as SWT pictures: colour as is, depth as a gray ramp, masks as a red tint over the colour. */
public final class Pictures {

    private Pictures() {
    }

    public static ImageData colour(FloatImage rgb) {
        int w = rgb.width();
        int h = rgb.height();
        int n = w * h;
        ImageData d = new ImageData(w, h, 24, new PaletteData(0xFF0000, 0x00FF00, 0x0000FF));
        float[] s = rgb.data();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                row[x] = (to8(s[p]) << 16) | (to8(s[n + p]) << 8) | to8(s[2 * n + p]);
            }
            d.setPixels(0, y, w, row, 0);
        }
        return d;
    }

    /**
     * Depth as gray, near bright: scaled between the 2nd and 98th percentile of the valid (non-zero) values so that a
     * few outliers do not flatten the picture; invalid depth is black.
     */
    public static ImageData depth(FloatImage depth) {
        float[] v = depth.data();
        float[] valid = new float[v.length];
        int m = 0;
        for (float f : v) {
            if (f > 0 && Float.isFinite(f)) {
                valid[m++] = f;
            }
        }
        float lo = 0;
        float hi = 1;
        if (m > 0) {
            Arrays.sort(valid, 0, m);
            lo = valid[(int) (0.02 * (m - 1))];
            hi = valid[(int) (0.98 * (m - 1))];
        }
        float range = Math.max(hi - lo, 1e-9f);
        int w = depth.width();
        int h = depth.height();
        float[] g = new float[3 * w * h];
        int n = w * h;
        for (int p = 0; p < n; p++) {
            float f = v[p];
            float s = f > 0 && Float.isFinite(f) ? 1 - Math.max(0, Math.min(1, (f - lo) / range)) * 0.85f : 0;
            g[p] = s;
            g[n + p] = s;
            g[2 * n + p] = s;
        }
        return colour(new FloatImage(w, h, 3, g));
    }

    /** The colour image with instrument pixels (mask 1) tinted red at half strength. */
    public static ImageData masked(FloatImage rgb, FloatImage mask) {
        int n = rgb.pixels();
        float[] out = rgb.data().clone();
        float[] m = mask.data();
        for (int p = 0; p < n; p++) {
            if (m[p] > 0.5f) {
                out[p] = 0.5f * out[p] + 0.5f;
                out[n + p] *= 0.5f;
                out[2 * n + p] *= 0.5f;
            }
        }
        return colour(new FloatImage(rgb.width(), rgb.height(), 3, out));
    }

    private static int to8(float v) {
        return Math.round(Math.max(0, Math.min(1, v)) * 255);
    }
}
