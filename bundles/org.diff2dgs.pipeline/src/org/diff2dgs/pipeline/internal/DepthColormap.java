package org.diff2dgs.pipeline.internal;

import org.diff2dgs.core.model.FloatImage;

/**
 * A colour ramp that makes a depth map readable at a glance: near is pale yellow, then orange, red, purple, far is dark
 * blue; pixels without a surface are black. Our own anchor colours, interpolated linearly in sRGB; the ramp is
 * monotone in brightness so a grey printout keeps the order.
 */
final class DepthColormap {

    /** Anchor colours at t = 0, 0.25, 0.5, 0.75, 1 (sRGB 0..255). */
    private static final int[][] ANCHORS = {{255, 244, 176}, {248, 165, 64}, {214, 72, 68}, {118, 42, 128},
            {34, 28, 92}};

    private DepthColormap() {
    }

    /** 3-channel [0,1] colour of a depth map, with near..far spread over the whole ramp. */
    static FloatImage colorize(FloatImage depth, double near, double far) {
        int n = depth.pixels();
        float[] out = new float[3 * n];
        float[] d = depth.data();
        double span = far > near ? far - near : 1;
        for (int i = 0; i < n; i++) {
            float v = d[i];
            if (!(v > 0) || !Float.isFinite(v)) {
                continue;
            }
            double t = Math.min(1, Math.max(0, (v - near) / span));
            double x = t * (ANCHORS.length - 1);
            int k = Math.min(ANCHORS.length - 2, (int) x);
            double f = x - k;
            for (int c = 0; c < 3; c++) {
                out[c * n + i] = (float) (((1 - f) * ANCHORS[k][c] + f * ANCHORS[k + 1][c]) / 255.0);
            }
        }
        return new FloatImage(depth.width(), depth.height(), 3, out);
    }
}
