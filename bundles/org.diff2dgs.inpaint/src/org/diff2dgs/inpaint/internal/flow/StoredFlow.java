package org.diff2dgs.inpaint.internal.flow;

/**
 * A flow field kept for the whole clip in little memory: 16-bit fixed point (1/32 pixel, +-1023 pixels) at the
 * resolution it was estimated at, read back at full-resolution positions in full-resolution pixels. A clip of 156
 * frames at 640x512 with half-resolution flow keeps both directions of every pair in about 100 MB.
 */
public final class StoredFlow {

    private static final float STEP = 1f / 32f;

    private final int width;
    private final int height;
    private final float scale;
    private final short[] u;
    private final short[] v;

    /** {@code scale}: full-resolution pixels per flow pixel (2^level). */
    public StoredFlow(FlowField f, float scale) {
        this.width = f.width();
        this.height = f.height();
        this.scale = scale;
        this.u = quantize(f.u(), scale);
        this.v = quantize(f.v(), scale);
    }

    private static short[] quantize(float[] a, float scale) {
        short[] q = new short[a.length];
        for (int i = 0; i < a.length; i++) {
            float x = Math.round(a[i] * scale / STEP);
            q[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, x));
        }
        return q;
    }

    /** Flow at full-resolution position (x, y), in full-resolution pixels: out[0] = u, out[1] = v. */
    public void sample(float x, float y, float[] out) {
        float fx = (x + 0.5f) / scale - 0.5f;
        float fy = (y + 0.5f) / scale - 0.5f;
        fx = fx < 0 ? 0 : fx > width - 1 ? width - 1 : fx;
        fy = fy < 0 ? 0 : fy > height - 1 ? height - 1 : fy;
        int x0 = (int) fx;
        int y0 = (int) fy;
        int x1 = x0 + 1 < width ? x0 + 1 : x0;
        int y1 = y0 + 1 < height ? y0 + 1 : y0;
        float ax = fx - x0;
        float ay = fy - y0;
        int a = y0 * width + x0;
        int b = y0 * width + x1;
        int c = y1 * width + x0;
        int d = y1 * width + x1;
        out[0] = STEP * lerp(u[a], u[b], u[c], u[d], ax, ay);
        out[1] = STEP * lerp(v[a], v[b], v[c], v[d], ax, ay);
    }

    private static float lerp(short a, short b, short c, short d, float ax, float ay) {
        float top = a + ax * (b - a);
        float bottom = c + ax * (d - c);
        return top + ay * (bottom - top);
    }
}
