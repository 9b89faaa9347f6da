package org.diff2dgs.train.loss;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.model.FloatImage;

/**
 * Mean absolute colour error, optionally masked: sum m |c - c*| / sum m over every channel, where the mask m is 0/1
 * (tissue pixels, as Deform3DGS masks out instruments) or a soft weight, with one channel shared by R, G, B or one
 * per channel. Without a mask it is the plain mean the public Diff2DGS code uses on inpainted frames. The gradient of
 * |r| at r = 0 is taken as 0 (PyTorch's sign).
 */
public final class L1ColorLoss {

    public double value(RenderOutput render, FloatImage target, FloatImage mask) {
        return evaluate(render, target, mask, 0, null);
    }

    /**
     * Adds {@code weight} times dL/d(render colour) into {@code dColor} (3 planar channels) and returns L.
     */
    public double addGradient(RenderOutput render, FloatImage target, FloatImage mask, double weight, float[] dColor) {
        if (dColor == null || dColor.length != 3 * render.pixels()) {
            throw new IllegalArgumentException("colour gradient needs " + 3 * render.pixels() + " values");
        }
        return evaluate(render, target, mask, weight, dColor);
    }

    private static double evaluate(RenderOutput render, FloatImage target, FloatImage mask, double weight,
            float[] dColor) {
        int w = render.width();
        int h = render.height();
        int n = w * h;
        Masks.checkTarget("target colour image", target, w, h, 3);
        Masks.checkMask(mask, w, h, 3);
        double total = mask == null ? 3.0 * n : maskSum(mask) * (mask.channels() == 1 ? 3 : 1);
        if (total <= 0) {
            return 0;
        }
        float[] c = render.color();
        float[] t = target.data();
        float[] m = mask == null ? null : mask.data();
        float g = (float) (weight / total);
        double sum = Rows.sum(h, r -> {
            double s = 0;
            for (int ch = 0; ch < 3; ch++) {
                int mOff = mask == null ? 0 : Masks.offset(mask, ch, n);
                int base = ch * n + r * w;
                int mBase = mOff + r * w;
                for (int x = 0; x < w; x++) {
                    float mv = m == null ? 1f : m[mBase + x];
                    if (mv == 0) {
                        continue;
                    }
                    float d = c[base + x] - t[base + x];
                    s += mv * Math.abs(d);
                    if (dColor != null && d != 0) {
                        dColor[base + x] += d > 0 ? g * mv : -g * mv;
                    }
                }
            }
            return s;
        });
        return sum / total;
    }

    static double maskSum(FloatImage mask) {
        double s = 0;
        for (float v : mask.data()) {
            s += v;
        }
        return s;
    }
}
