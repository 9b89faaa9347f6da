package org.diff2dgs.core.api;

import java.util.Map;

/**
 * What a synthetic scene generator should make.
 *
 * @param seed    all randomness derives from it
 * @param frames  frame count
 * @param width   image width
 * @param height  image height
 * @param options generator-specific settings (e.g. "instruments" -> "2", "camera" -> "moving")
 */
public record SceneSpec(long seed, int frames, int width, int height, Map<String, String> options) {

    public SceneSpec {
        if (frames <= 0 || width <= 0 || height <= 0) {
            throw new UserInputException("scene needs positive frames and size, got " + frames + " frames of "
                    + width + "x" + height);
        }
        options = Map.copyOf(options);
    }
}
