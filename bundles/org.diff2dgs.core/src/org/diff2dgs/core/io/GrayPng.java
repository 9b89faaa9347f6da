package org.diff2dgs.core.io;

import org.diff2dgs.core.model.FloatImage;

/**
 * A single-channel reading of a PNG with the raw integer samples kept (0..255 for 8-bit, 0..65535 for 16-bit, 0..1
 * for 1-bit), so depth maps keep their stored units and masks can be thresholded at half of {@link #maxValue()}.
 *
 * @param values   the first channel's raw sample values as floats, 1 channel
 * @param bitDepth bits per sample as stored (1, 2, 4, 8 or 16; 8 for palette images)
 * @param channels how many channels the PNG has (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA); callers that need a
 *                 single-channel file (masks, depth) reject 3 or more
 */
public record GrayPng(FloatImage values, int bitDepth, int channels) {

    /** Largest representable sample, 2^bitDepth - 1. */
    public double maxValue() {
        return (1 << bitDepth) - 1;
    }
}
