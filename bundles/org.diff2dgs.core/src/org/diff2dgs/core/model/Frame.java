package org.diff2dgs.core.model;

/**
 * One time step of a clip.
 *
 * @param index          position in the clip (0-based)
 * @param time           normalized time in [0, 1): index / frameCount
 * @param name           file stem the frame came from (for reports)
 * @param camera         the view of this frame
 * @param image          observed colour, 3 channels
 * @param depth          observed depth, 1 channel, 0 = invalid; null when the clip has none
 * @param instrumentMask 1 channel, 1 = instrument (excluded or inpainted), 0 = tissue; null = no instruments
 * @param truthImage     tissue colour without instruments (synthetic scenes only), else null
 * @param truthDepth     tissue depth without instruments (synthetic scenes only), else null
 */
public record Frame(int index, double time, String name, Camera camera, FloatImage image, FloatImage depth,
        FloatImage instrumentMask, FloatImage truthImage, FloatImage truthDepth) {

    public Frame {
        if (image == null || image.channels() != 3) {
            throw new IllegalArgumentException("frame " + name + " needs a 3-channel image");
        }
        check(name, "depth", image, depth);
        check(name, "instrument mask", image, instrumentMask);
        check(name, "ground-truth image", image, truthImage);
        check(name, "ground-truth depth", image, truthDepth);
        if (camera != null && (camera.width() != image.width() || camera.height() != image.height())) {
            throw new IllegalArgumentException("frame " + name + ": camera is " + camera.width() + "x" + camera.height()
                    + " but the image is " + image.width() + "x" + image.height());
        }
    }

    private static void check(String name, String what, FloatImage image, FloatImage other) {
        if (other != null && !image.sameSize(other)) {
            throw new IllegalArgumentException("frame " + name + ": " + what + " is " + other.width() + "x"
                    + other.height() + " but the image is " + image.width() + "x" + image.height());
        }
    }

    public boolean hasGroundTruth() {
        return truthImage != null;
    }

    /** The same frame with another colour image (e.g. after inpainting). */
    public Frame withImage(FloatImage newImage) {
        return new Frame(index, time, name, camera, newImage, depth, instrumentMask, truthImage, truthDepth);
    }
}
