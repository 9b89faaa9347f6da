package org.diff2dgs.train.loss;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.model.FloatImage;

/**
 * The 2DGS depth-distortion regularizer (2DGS paper, Sec. 4.1): the mean over pixels of the distortion channel the
 * rasterizer accumulates, optionally weighted by a mask. Its gradient is a constant upstream gradient on that channel;
 * the rasterizer's backward pass carries it to the surfels.
 */
public final class DepthDistortionLoss {

    public double value(RenderOutput render, FloatImage mask) {
        return evaluate(render, mask, 0, null);
    }

    /** Adds {@code weight} times dL/d(distortion channel) into {@code dOthers}. */
    public double addGradient(RenderOutput render, FloatImage mask, double weight, float[] dOthers) {
        if (dOthers == null || dOthers.length != RenderOutput.AUX_CHANNELS * render.pixels()) {
            throw new IllegalArgumentException("auxiliary gradient needs " + RenderOutput.AUX_CHANNELS * render.pixels()
                    + " values");
        }
        return evaluate(render, mask, weight, dOthers);
    }

    private static double evaluate(RenderOutput render, FloatImage mask, double weight, float[] dOthers) {
        int w = render.width();
        int h = render.height();
        int n = w * h;
        Masks.checkMask(mask, w, h, 1);
        double total = mask == null ? n : L1ColorLoss.maskSum(mask);
        if (total <= 0) {
            return 0;
        }
        float[] o = render.others();
        float[] m = mask == null ? null : mask.data();
        int off = RenderOutput.AUX_DISTORTION * n;
        float g = (float) (weight / total);
        double sum = Rows.sum(h, r -> {
            double s = 0;
            for (int i = r * w; i < (r + 1) * w; i++) {
                float mv = m == null ? 1f : m[i];
                s += mv * o[off + i];
                if (dOthers != null) {
                    dOthers[off + i] += g * mv;
                }
            }
            return s;
        });
        return sum / total;
    }
}
