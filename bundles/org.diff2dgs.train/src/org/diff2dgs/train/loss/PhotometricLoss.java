package org.diff2dgs.train.loss;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.image.Ssim;
import org.diff2dgs.core.model.FloatImage;

/**
 * The colour term of 3DGS / 2DGS (3DGS paper, Eq. 7): L = (1 - lambda) * L1 + lambda * (1 - SSIM), with lambda = 0.2
 * there. Note that the public code uses 1 - SSIM, not the (1 - SSIM) / 2 that "D-SSIM" sometimes denotes; we follow
 * the code. lambda = 0 gives the plain L1 of the public Diff2DGS and Deform3DGS code (which compute no SSIM at all), so
 * the SSIM filters are skipped then. With a mask, both terms are weighted means over the mask (the SSIM map is
 * computed on the full image, then averaged with the mask's weights).
 *
 * <p>Holds SSIM work buffers between calls: one instance per training loop, not shared between threads.
 */
public final class PhotometricLoss {

    /** The value and its two parts (unweighted), e.g. for the adaptive depth weight which looks at L1 alone. */
    public record Value(double l1, double ssim, double total) {
    }

    private final double lambda;
    private final L1ColorLoss l1 = new L1ColorLoss();
    private final Ssim.Workspace workspace = new Ssim.Workspace();

    public PhotometricLoss(double lambdaDssim) {
        if (!(lambdaDssim >= 0 && lambdaDssim <= 1)) {
            throw new IllegalArgumentException("D-SSIM weight must be in [0, 1], got " + lambdaDssim);
        }
        this.lambda = lambdaDssim;
    }

    public double lambdaDssim() {
        return lambda;
    }

    public Value value(RenderOutput render, FloatImage target, FloatImage mask) {
        return evaluate(render, target, mask, 0, null);
    }

    /** Adds {@code weight} times dL/d(render colour) into {@code dColor}. */
    public Value addGradient(RenderOutput render, FloatImage target, FloatImage mask, double weight, float[] dColor) {
        if (dColor == null || dColor.length != 3 * render.pixels()) {
            throw new IllegalArgumentException("colour gradient needs " + 3 * render.pixels() + " values");
        }
        return evaluate(render, target, mask, weight, dColor);
    }

    private Value evaluate(RenderOutput render, FloatImage target, FloatImage mask, double weight, float[] dColor) {
        double vL1 = dColor == null ? l1.value(render, target, mask)
                : l1.addGradient(render, target, mask, (1 - lambda) * weight, dColor);
        if (lambda == 0 || (mask != null && L1ColorLoss.maskSum(mask) <= 0)) {
            return new Value(vL1, Double.NaN, vL1);
        }
        Masks.checkMask(mask, render.width(), render.height(), 3);
        FloatImage rendered = new FloatImage(render.width(), render.height(), 3, render.color());
        // d(lambda * (1 - SSIM)) = -lambda * dSSIM
        double ssim = Ssim.weightedMean(rendered, target, mask, dColor, -lambda * weight, workspace);
        return new Value(vL1, ssim, (1 - lambda) * vL1 + lambda * (1 - ssim));
    }
}
