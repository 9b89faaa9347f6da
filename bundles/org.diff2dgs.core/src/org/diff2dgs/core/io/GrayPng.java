package org.diff2dgs.core.io;

import org.diff2dgs.core.model.FloatImage;

/**
 * A single-channel reading of a PNG with the raw integer samples kept (0..255 for 8-bit, 0..65535 for 16-bit), so
 * depth maps keep their stored units and masks can be thresholded at half of {@link #maxValue()}.
 *
 * @param values   the first channel's raw sample values as floats, 1 channel
 * @param bitDepth 16 for 16-bit files, otherwise 8: 1/2/4-bit gray and palette files come expanded to 0..255 (the
 *                 JDK decoder hands them over as palettes)
 * @param channels how many channels the PNG has (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA); callers that need a
 *                 single-channel file (masks, depth) reject 3 or more
 */
public record GrayPng(FloatImage values, int bitDepth, int channels) {

    /** Largest representable sample, 2^bitDepth - 1. */
    public double maxValue() {
        return (1 << bitDepth) - 1;
    }
}
