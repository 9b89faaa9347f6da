package org.diff2dgs.inpaint.internal;

import java.util.Arrays;

/**
 * For each traced pixel of one frame, where its tissue was last (or next) seen: the frame, the sub-pixel position
 * there, how many frame steps the chain took, its summed forward-backward flow inconsistency and the quality of the
 * source (how far from any instrument it was, in [0, 1]). Kept only for the
 * traced pixels (region plus ring), so a clip's worth costs a fraction of one copy of the clip.
 */
final class Origins {

    final int[] pixels;
    final int[] frame;
    final float[] x;
    final float[] y;
    final short[] steps;
    final float[] error;
    final float[] quality;

    Origins(int[] pixels) {
        this.pixels = pixels;
        int n = pixels.length;
        this.frame = new int[n];
        Arrays.fill(frame, -1);
        this.x = new float[n];
        this.y = new float[n];
        this.steps = new short[n];
        this.error = new float[n];
        this.quality = new float[n];
    }

    int size() {
        return pixels.length;
    }

    boolean found(int i) {
        return frame[i] >= 0;
    }

    void set(int i, int f, float ox, float oy, int s, float e, float q) {
        quality[i] = q;
        frame[i] = f;
        x[i] = ox;
        y[i] = oy;
        steps[i] = (short) Math.min(Short.MAX_VALUE, s);
        error[i] = e;
    }

    /** Pixel index -> slot, -1 for untraced pixels. */
    int[] slots(int pixelCount) {
        int[] s = new int[pixelCount];
        Arrays.fill(s, -1);
        for (int i = 0; i < pixels.length; i++) {
            s[pixels[i]] = i;
        }
        return s;
    }
}
