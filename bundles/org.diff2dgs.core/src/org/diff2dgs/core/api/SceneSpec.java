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

    /** The built-in scene's seed, for synth, run and batch alike. */
    public static final long DEFAULT_SEED = 6666;
    /** The CPU-sized built-in scene: small enough to train in minutes on two cores. */
    public static final String CPU_SIZE = "320x256";
    public static final int CPU_FRAMES = 48;
    /** The full-size built-in scene (EndoNeRF's 640x512). */
    public static final String FULL_SIZE = "640x512";
    public static final int FULL_FRAMES = 96;

    public SceneSpec {
        if (frames <= 0 || width <= 0 || height <= 0) {
            throw new UserInputException("scene needs positive frames and size, got " + frames + " frames of "
                    + width + "x" + height);
        }
        options = Map.copyOf(options);
    }
}
