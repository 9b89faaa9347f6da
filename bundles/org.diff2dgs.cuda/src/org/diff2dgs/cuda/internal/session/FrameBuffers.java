package org.diff2dgs.cuda.internal.session;

import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;

/**
 * One frame's training targets on the device, uploaded once per session: the image (3 planes), the depth map (or
 * none) and the loss mask (one channel, or none when every pixel counts), with the mask's sum (the means'
 * denominators, summed in float order in double as the Java losses do).
 */
final class FrameBuffers implements AutoCloseable {

    final DeviceBuffer image;
    final DeviceBuffer depth;
    final DeviceBuffer mask;
    final int maskChannels;
    /** Sum of the mask (pixels when there is none). */
    final double maskSum;

    FrameBuffers(CudaContext cuda, Frame frame, FloatImage lossMask) {
        String name = "frame " + frame.index();
        image = cuda.upload(frame.image().data(), name + " image");
        depth = frame.depth() == null ? null : cuda.upload(frame.depth().data(), name + " depth");
        if (lossMask == null) {
            mask = null;
            maskChannels = 1;
            maskSum = frame.image().pixels();
        } else {
            mask = cuda.upload(lossMask.data(), name + " loss mask");
            maskChannels = lossMask.channels();
            double s = 0;
            for (float v : lossMask.data()) {
                s += v;
            }
            maskSum = s;
        }
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
