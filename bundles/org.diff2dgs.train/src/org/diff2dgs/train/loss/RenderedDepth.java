package org.diff2dgs.train.loss;

import org.diff2dgs.core.api.RenderOutput;

/**
 * The depth map the depth and normal losses see, built from the render's auxiliary channels as in the 2DGS renderer:
 * D = (1 - r) * expected + r * median, where expected = depthSum / alpha (0 where alpha is 0, PyTorch's
 * {@code nan_to_num}). The Diff2DGS default is r = 0 (expected depth); 2DGS uses r = 1 for bounded scenes.
 *
 * @param medianRatio r in [0, 1]
 */
public record RenderedDepth(double medianRatio) {

    /** Expected depth, the Diff2DGS default. */
    public static final RenderedDepth EXPECTED = new RenderedDepth(0);
    /** Median depth. */
    public static final RenderedDepth MEDIAN = new RenderedDepth(1);

    public RenderedDepth {
        if (!(medianRatio >= 0 && medianRatio <= 1)) {
            throw new IllegalArgumentException("median depth ratio must be in [0, 1], got " + medianRatio);
        }
    }

    /** Depth at pixel i of a render with n pixels, from its auxiliary channels. */
    public double at(float[] others, int n, int i) {
        double d = 0;
        if (medianRatio < 1) {
            float alpha = others[RenderOutput.AUX_ALPHA * n + i];
            if (alpha != 0) {
                d = (1 - medianRatio) * (others[RenderOutput.AUX_DEPTH * n + i] / (double) alpha);
            }
        }
        if (medianRatio > 0) {
            float m = others[RenderOutput.AUX_MEDIAN_DEPTH * n + i];
            if (Float.isFinite(m)) {
                d += medianRatio * m;
            }
        }
        return d;
    }

    /** Adds dL/dD at pixel i, pushed to the depth-sum, alpha and median channels, into {@code dOthers}. */
    public void backward(float[] others, int n, int i, double dDepth, float[] dOthers) {
        if (dDepth == 0) {
            return;
        }
        if (medianRatio < 1) {
            float alpha = others[RenderOutput.AUX_ALPHA * n + i];
            if (alpha != 0) {
                double inv = 1.0 / alpha;
                double g = (1 - medianRatio) * dDepth;
                dOthers[RenderOutput.AUX_DEPTH * n + i] += (float) (g * inv);
                dOthers[RenderOutput.AUX_ALPHA * n + i] -= (float) (g * others[RenderOutput.AUX_DEPTH * n + i] * inv * inv);
            }
        }
        if (medianRatio > 0 && Float.isFinite(others[RenderOutput.AUX_MEDIAN_DEPTH * n + i])) {
            dOthers[RenderOutput.AUX_MEDIAN_DEPTH * n + i] += (float) (medianRatio * dDepth);
        }
    }
}
