package org.diff2dgs.cuda.internal.session;

import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;

/**
 * One frame's training targets on the device, uploaded once per session ({@link FrameSet}): the image (3 planes),
 * the depth map (or none) and the loss mask (one channel, or none when every pixel counts), with the mask's sum
 * (the means' denominators, summed in float order in double as the Java losses do).
 */
final class FrameBuffers implements AutoCloseable {

    final DeviceBuffer image;
    final DeviceBuffer depth;
    final DeviceBuffer mask;
    final int maskChannels;
    /** Sum of the mask (pixels when there is none). */
    final double maskSum;

    /**
     * A frame's buffers, already on the device (slices of {@link FrameSet}'s packed uploads); {@code maskSum} is
     * {@link #sum} of the loss mask, or NaN when there is none.
     */
    FrameBuffers(Frame frame, DeviceBuffer image, DeviceBuffer depth, DeviceBuffer mask, FloatImage lossMask,
            double maskSum) {
        this.image = image;
        this.depth = depth;
        this.mask = mask;
        if (lossMask == null) {
            maskChannels = 1;
            this.maskSum = frame.image().pixels();
        } else {
            maskChannels = lossMask.channels();
            this.maskSum = maskSum;
        }
    }

    /** Sum of a loss mask in float order, in double (as the Java losses sum it). */
    static double sum(FloatImage lossMask) {
        double s = 0;
        for (float v : lossMask.data()) {
            s += v;
        }
        return s;
    }

    /** Denominator of the colour means: every channel of every pixel that counts. */
    double colorTotal() {
        return mask == null ? 3.0 * maskSum : maskSum * (maskChannels == 1 ? 3 : 1);
    }

    @Override
    public void close() {
        image.close();
        if (depth != null) {
            depth.close();
        }
        if (mask != null) {
            mask.close();
        }
    }
}
