package org.diff2dgs.core.api;

import java.util.Map;
import java.util.TreeMap;

/**
 * Options every inpainting method understands, plus method-specific settings.
 * <p>
 * Mask handling follows the published pipeline (inpainting/diffueraser.py, read_mask: binarize, erode once with a 3x3
 * square, dilate {@code mask_dilation_iter} times with a 3x3 square; inpainting/run.py: {@code --mask-dilation}
 * default 8): the restored region is the instrument mask after {@code maskErode} erosions and {@code maskDilate}
 * dilations.
 *
 * @param maskErode     3x3 erosions applied to the binarized instrument mask first (removes speckle); published: 1
 * @param maskDilate    3x3 dilations applied next (covers the instrument's blurred edge and shadow); published: 8
 * @param completeDepth true: depth is restored in the region too; false: depth is copied unchanged (the published
 *                      pipeline's behaviour, which keeps the instrument's depth)
 * @param threads       worker threads; 0 = all available processors
 * @param seed          for methods with randomness (e.g. PatchMatch initialization, diffusion noise)
 * @param settings      method-specific settings by name (e.g. "window" -> "12" for propagate, "weights" -> a folder
 *                      for diffusion); unknown names are a {@link UserInputException} of the method
 */
public record InpaintOptions(int maskErode, int maskDilate, boolean completeDepth, int threads, long seed,
        Map<String, String> settings) {

    public static final int PUBLISHED_ERODE = 1;
    public static final int PUBLISHED_DILATE = 8;

    public InpaintOptions {
        if (maskErode < 0 || maskDilate < 0) {
            throw new UserInputException("mask erosion and dilation must be >= 0, got " + maskErode + " and "
                    + maskDilate);
        }
        if (threads < 0) {
            throw new UserInputException("threads must be >= 0 (0 = all processors), got " + threads);
        }
        // sorted, so that fingerprints and inpainting.json do not depend on insertion order
        settings = java.util.Collections.unmodifiableMap(new TreeMap<>(settings == null ? Map.of() : settings));
    }

    /** The published mask handling, depth completed, all processors, seed 6666 (the published default seed). */
    public static InpaintOptions defaults() {
        return new InpaintOptions(PUBLISHED_ERODE, PUBLISHED_DILATE, true, 0, 6666, Map.of());
    }

    public InpaintOptions withSettings(Map<String, String> newSettings) {
        return new InpaintOptions(maskErode, maskDilate, completeDepth, threads, seed, newSettings);
    }

    public InpaintOptions withThreads(int n) {
        return new InpaintOptions(maskErode, maskDilate, completeDepth, n, seed, settings);
    }

    public InpaintOptions withMask(int erode, int dilate) {
        return new InpaintOptions(erode, dilate, completeDepth, threads, seed, settings);
    }

    public InpaintOptions withCompleteDepth(boolean on) {
        return new InpaintOptions(maskErode, maskDilate, on, threads, seed, settings);
    }

    /** The processors to use. */
    public int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
