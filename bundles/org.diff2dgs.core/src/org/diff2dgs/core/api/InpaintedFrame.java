package org.diff2dgs.core.api;

import org.diff2dgs.core.model.FloatImage;

/**
 * One frame as an inpainting method hands it to {@link org.diff2dgs.core.io.InpaintedClipWriter}.
 *
 * @param index      frame index in the clip
 * @param image      inpainted colour, 3 channels [0,1], same size as the clip
 * @param depth      inpainted depth in scene units (like {@link org.diff2dgs.core.model.Frame#depth()}), or null to
 *                   keep the source depth file unchanged (no depth in the clip, or depth completion off)
 * @param restored   1 channel, 1 = pixel restored (the instrument mask after erosion and dilation), else 0
 * @param confidence 1 channel in [0,1]: 1 = observed in this frame; inside the restored region how much the method
 *                   trusts the value (e.g. flow consistency, distance to the nearest observation)
 * @param propagated restored pixels taken from other frames (temporal propagation)
 * @param spatial    restored pixels filled from the same frame only (spatial fill); propagated + spatial equals the
 *                   number of restored pixels
 */
public record InpaintedFrame(int index, FloatImage image, FloatImage depth, FloatImage restored,
        FloatImage confidence, long propagated, long spatial) {

    public InpaintedFrame {
        if (image == null || image.channels() != 3) {
            throw new IllegalArgumentException("inpainted frame " + index + " needs a 3-channel image");
        }
        if (restored == null || restored.channels() != 1 || !restored.sameSize(image)) {
            throw new IllegalArgumentException("inpainted frame " + index + " needs a 1-channel restored mask of "
                    + "the image's size");
        }
        if (confidence == null || confidence.channels() != 1 || !confidence.sameSize(image)) {
            throw new IllegalArgumentException("inpainted frame " + index + " needs a 1-channel confidence of the "
                    + "image's size");
        }
        if (depth != null && (depth.channels() != 1 || !depth.sameSize(image))) {
            throw new IllegalArgumentException("inpainted frame " + index + ": depth must be 1 channel of the "
                    + "image's size");
        }
        if (propagated < 0 || spatial < 0) {
            throw new IllegalArgumentException("inpainted frame " + index + ": negative coverage counts");
        }
    }
}
