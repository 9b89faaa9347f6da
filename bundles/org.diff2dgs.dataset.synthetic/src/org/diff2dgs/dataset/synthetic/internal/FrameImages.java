package org.diff2dgs.dataset.synthetic.internal;

import org.diff2dgs.core.model.FloatImage;

/**
 * What one frame of the synthetic clip consists of.
 *
 * @param observed    what the endoscope sees: tissue, instruments, shadows, highlights, sensor noise ([0,1] RGB)
 * @param truth       the same tissue lit the same way with no instrument, no instrument shadow and no sensor noise
 * @param depth       stereo-like depth of what is visible (mm), with noise; 0 where invalid
 * @param truthDepth  exact depth of the tissue without instruments (mm), always positive
 * @param mask        1 where an instrument is visible, else 0
 * @param surface     material coordinates (u, v in mm, two planes) of the tissue that each pixel's centre ray meets,
 *                    instruments ignored; null unless the option correspondence is on
 * @param minDepth    smallest exact depth of anything visible or of the tissue (mm)
 * @param maxDepth    largest exact depth (mm)
 */
record FrameImages(FloatImage observed, FloatImage truth, FloatImage depth, FloatImage truthDepth, FloatImage mask,
        FloatImage surface, double minDepth, double maxDepth) {
}
