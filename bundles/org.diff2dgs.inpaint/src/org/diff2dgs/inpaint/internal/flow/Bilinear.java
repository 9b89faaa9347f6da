package org.diff2dgs.inpaint.internal.flow;

/** Bilinear sampling of row-major planes; positions outside the plane are clamped to its border. */
public final class Bilinear {

    private Bilinear() {
    }

    public static float sample(float[] a, int w, int h, float x, float y) {
        if (x < 0) {
            x = 0;
        } else if (x > w - 1) {
            x = w - 1;
        }
        if (y < 0) {
            y = 0;
        } else if (y > h - 1) {
            y = h - 1;
        }
        int x0 = (int) x;
        int y0 = (int) y;
        int x1 = x0 + 1 < w ? x0 + 1 : x0;
        int y1 = y0 + 1 < h ? y0 + 1 : y0;
        float fx = x - x0;
        float fy = y - y0;
        int r0 = y0 * w;
        int r1 = y1 * w;
        float top = a[r0 + x0] + fx * (a[r0 + x1] - a[r0 + x0]);
        float bottom = a[r1 + x0] + fx * (a[r1 + x1] - a[r1 + x0]);
        return top + fy * (bottom - top);
    }

    /** True when (x, y) lies inside the plane (the bilinear footprint does not need clamping). */
    public static boolean inside(int w, int h, float x, float y) {
        return x >= 0 && y >= 0 && x <= w - 1 && y <= h - 1;
    }
}
