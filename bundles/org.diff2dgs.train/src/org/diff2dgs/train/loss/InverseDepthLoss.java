package org.diff2dgs.train.loss;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.model.FloatImage;

/**
 * Inverse-depth L1 of the public Diff2DGS code (and, masked, of Deform3DGS): mean |1/D - 1/D*| over the pixels where
 * both the rendered depth D and the data depth D* are positive (and the mask is not 0), with D from
 * {@link RenderedDepth} (expected depth = depth sum / alpha by default), so the gradient reaches the depth-sum and the
 * alpha channels (and the median channel when it is mixed in). Fewer than {@code minValidPixels} valid pixels give 0,
 * as the public code does below 10.
 */
public final class InverseDepthLoss {

    private final RenderedDepth depth;
    private final int minValidPixels;

    /** The Diff2DGS default: expected depth, at least 10 valid pixels. */
    public InverseDepthLoss() {
        this(RenderedDepth.EXPECTED, 10);
    }

    public InverseDepthLoss(RenderedDepth depth, int minValidPixels) {
        this.depth = depth;
        this.minValidPixels = Math.max(1, minValidPixels);
    }

    public double value(RenderOutput render, FloatImage targetDepth, FloatImage mask) {
        return evaluate(render, targetDepth, mask, 0, null);
    }

    /** Adds {@code weight} times dL/d(auxiliary channels) into {@code dOthers} (planar, AUX_CHANNELS channels). */
    public double addGradient(RenderOutput render, FloatImage targetDepth, FloatImage mask, double weight,
            float[] dOthers) {
        if (dOthers == null || dOthers.length != RenderOutput.AUX_CHANNELS * render.pixels()) {
            throw new IllegalArgumentException("auxiliary gradient needs " + RenderOutput.AUX_CHANNELS * render.pixels()
                    + " values");
        }
        return evaluate(render, targetDepth, mask, weight, dOthers);
    }

    private double evaluate(RenderOutput render, FloatImage targetDepth, FloatImage mask, double weight,
            float[] dOthers) {
        int w = render.width();
        int h = render.height();
        int n = w * h;
        Masks.checkTarget("target depth map", targetDepth, w, h, 1);
        Masks.checkMask(mask, w, h, 1);
        float[] o = render.others();
        float[] t = targetDepth.data();
        float[] m = mask == null ? null : mask.data();
        // first pass: total weight and count of valid pixels (the mean's denominator)
        double[] count = new double[h];
        double total = Rows.sum(h, r -> {
            double s = 0;
            int valid = 0;
            for (int i = r * w; i < (r + 1) * w; i++) {
                float mv = m == null ? 1f : m[i];
                if (mv != 0 && t[i] > 0 && depth.at(o, n, i) > 0) {
                    s += mv;
                    valid++;
                }
            }
            count[r] = valid;
            return s;
        });
        double validPixels = 0;
        for (double c : count) {
            validPixels += c;
        }
        if (validPixels < minValidPixels || total <= 0) {
            return 0;
        }
        double scale = weight / total;
        double sum = Rows.sum(h, r -> {
            double s = 0;
            for (int i = r * w; i < (r + 1) * w; i++) {
                float mv = m == null ? 1f : m[i];
                if (mv == 0 || !(t[i] > 0)) {
                    continue;
                }
                double d = depth.at(o, n, i);
                if (!(d > 0)) {
                    continue;
                }
                double diff = 1 / d - 1 / (double) t[i];
                s += mv * Math.abs(diff);
                if (dOthers != null && diff != 0) {
                    // d|1/D - 1/D*| / dD = -sign / D^2
                    double dD = -(diff > 0 ? 1 : -1) * mv * scale / (d * d);
                    depth.backward(o, n, i, dD, dOthers);
                }
            }
            return s;
        });
        return sum / total;
    }
}
