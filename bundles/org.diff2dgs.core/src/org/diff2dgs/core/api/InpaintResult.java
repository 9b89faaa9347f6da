package org.diff2dgs.core.api;

import java.util.List;
import java.util.Map;

/**
 * What an inpainting run did; serialized as {@code inpainting.json} at the root of the inpainted dataset (field names
 * are the JSON keys). See docs/inpainting.md.
 *
 * @param format      "diff2dgs-inpainted/1": marks the folder as an inpainted clip for readers
 * @param method      the {@link Inpainter#name()} that made it ("propagate", "diffusion", "oracle", ...)
 * @param source      the folder the clip was read from
 * @param options     the options used
 * @param seconds     wall time of the method, writing included
 * @param width       frame width
 * @param height      frame height
 * @param frames      frame count
 * @param masks       how masks/ is stored: "white-is-instrument" or "white-is-tissue" (the source's convention;
 *                    masks/ holds the ORIGINAL instrument masks, before erosion and dilation)
 * @param depth       how depth/ is stored, or null when the clip has no depth
 * @param confidence  how confidence/ is stored
 * @param total       coverage summed over all frames (frame = "all")
 * @param perFrame    coverage of each frame, in frame order
 * @param quality     stage-1 quality against the ground truth (synthetic clips with gt/), keys documented in
 *                    docs/inpainting.md; empty when the clip has no ground truth
 * @param warnings    non-fatal findings (e.g. "3 frames have no instrument")
 */
public record InpaintResult(String format, String method, String source, InpaintOptions options, double seconds,
        int width, int height, int frames, String masks, StoredScale depth, StoredScale confidence, Coverage total,
        List<Coverage> perFrame, Map<String, Double> quality, List<String> warnings) {

    public static final String FORMAT = "diff2dgs-inpainted/1";

    public InpaintResult {
        perFrame = List.copyOf(perFrame);
        quality = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(quality));
        warnings = List.copyOf(warnings);
    }

    /**
     * How a PNG folder stores values: value = sample / scale.
     *
     * @param bits  8 or 16
     * @param scale stored samples per unit (depth: per scene unit, i.e. 1 / the reader's depth scale; confidence:
     *              255 for 8-bit, so that 255 = confidence 1)
     */
    public record StoredScale(int bits, double scale) {
    }

    /**
     * Pixel counts of one frame (or of all, frame = "all").
     *
     * @param frame          frame name
     * @param instrument     pixels of the original instrument mask
     * @param restored       pixels restored (mask after erosion and dilation)
     * @param propagated     restored pixels taken from other frames
     * @param spatial        restored pixels filled spatially (never seen in another frame)
     * @param meanConfidence mean confidence over the restored pixels (NaN when none)
     */
    public record Coverage(String frame, long instrument, long restored, long propagated, long spatial,
            double meanConfidence) {
    }
}
