package org.diff2dgs.inpaint.diffusion.internal;

/**
 * The UNet with its BrushNet branch and temporal attention, as one function of a window of frames: the noise it
 * predicts for noisy latents {@code sample} [F,C,h,w] at timestep t, given the BrushNet condition [F,C+1,h,w]
 * (masked-image latent and the known-pixel mask). Arrays are flat, frame-major.
 */
public interface Denoiser {

    float[] predictNoise(float[] sample, int timestep, float[] condition);
}
