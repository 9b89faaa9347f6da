package org.diff2dgs.core.api;

import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;

/**
 * One test frame as the evaluator sees it: what the model rendered for the frame's camera and time, next to the frame
 * as loaded (observed image, depth, instrument mask and, for synthetic scenes, the tissue ground truth).
 *
 * @param renderedImage  rendered colour, 3 channels in [0,1], same size as the frame
 * @param renderedDepth  rendered depth, 1 channel, or null when the model gives none
 * @param frame          the test frame
 * @param inpaintedImage the inpainted version of the test frame (needed by the "diff2dgs-code" protocol), or null
 */
public record EvaluationFrame(FloatImage renderedImage, FloatImage renderedDepth, Frame frame,
        FloatImage inpaintedImage) {

    public EvaluationFrame {
        if (frame == null) {
            throw new IllegalArgumentException("an evaluation frame needs its test frame");
        }
    }

    public EvaluationFrame(FloatImage renderedImage, FloatImage renderedDepth, Frame frame) {
        this(renderedImage, renderedDepth, frame, null);
    }

    public String name() {
        return frame.name();
    }
}
