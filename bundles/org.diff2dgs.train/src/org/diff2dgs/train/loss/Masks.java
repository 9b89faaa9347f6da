package org.diff2dgs.train.loss;

import org.diff2dgs.core.model.FloatImage;

/** Checks shared by the losses: sizes and channel counts of targets and masks. */
final class Masks {

    private Masks() {
    }

    static void checkTarget(String what, FloatImage target, int width, int height, int channels) {
        if (target == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (target.width() != width || target.height() != height || target.channels() != channels) {
            throw new IllegalArgumentException(what + " is " + target + " but the render is " + width + "x" + height
                    + "x" + channels);
        }
    }

    /** A mask is null (every pixel counts), one channel shared by all, or one per channel. */
    static void checkMask(FloatImage mask, int width, int height, int channels) {
        if (mask == null) {
            return;
        }
        if (mask.width() != width || mask.height() != height
                || (mask.channels() != 1 && mask.channels() != channels)) {
            throw new IllegalArgumentException("mask is " + mask + " but the render is " + width + "x" + height
                    + " with " + channels + " channel(s)");
        }
    }

    /** Offset of channel c's weights in the mask data (0 for a one-channel mask). */
    static int offset(FloatImage mask, int c, int pixels) {
        return mask.channels() == 1 ? 0 : c * pixels;
    }
}
