package org.diff2dgs.train.api;

/**
 * The scalars one iteration returns (all that crosses back from a GPU per iteration).
 *
 * @param loss        total loss
 * @param l1          masked L1 colour loss
 * @param ssim        masked SSIM of the render
 * @param depthLoss   inverse-depth loss (0 without a depth term)
 * @param depthWeight its weight this iteration (0 without a depth term)
 * @param psnr        masked PSNR of the training render, dB
 */
public record IterationResult(double loss, double l1, double ssim, double depthLoss, double depthWeight,
        double psnr) {
}
