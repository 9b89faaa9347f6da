package org.diff2dgs.inpaint.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.diff2dgs.core.api.UserInputException;

/**
 * The method-specific settings of {@code propagate} ({@code InpaintOptions.settings}); defaults live here only.
 *
 * @param flowLevel   pyramid level the flow is estimated at: 0 full resolution, 1 half, ...; -1 = automatic (half
 *                    resolution when the longer side exceeds 400 pixels)
 * @param reach       longest chain of frames a pixel is traced through to find visible tissue, per direction
 * @param maxError    largest mean forward-backward flow inconsistency (pixels per frame step) a chain may have
 * @param seam        how restored pixels meet observed ones: "poisson" (adds the harmonic interpolation of the
 *                    mismatch along the region's border), "feather" (linear ramp over a few pixels inside the
 *                    region), "none"
 * @param featherWidth ramp width in pixels for "feather"
 * @param sourceMargin dilation (3x3 steps) of the instrument mask beyond which another frame's pixels are trusted as
 *                     a source: smaller than the restored region's dilation, so tissue next to an instrument in one
 *                     frame still serves the frames where it is hidden
 * @param band         distance in pixels from an instrument within which a source is considered poorer (shadow,
 *                     blurred edge), and a chain keeps looking for a farther one
 * @param flowMargin   pixels around the restored region that the flow's data term leaves out as well (the shadow and
 *                     blurred edge of the instrument reach past the region and move with it); -1 = automatic: 5 up to
 *                     320 pixels on the longer side, in proportion above (10 at 640x512: the shadow spans more pixels)
 * @param depthFill    spatial fill of depth no frame shows: "harmonic" (membrane, flat towards an open border),
 *                     "plane" (default) or "quadratic" (a least-squares plane or quadratic fitted to the known depth
 *                     around each hole, plus the harmonic fill of the remainder: continues the surface's slope to the
 *                     border; propagated depth far off that trend next to the hole is refilled too)
 */
public record PropagateSettings(int flowLevel, int reach, double maxError, String seam, int featherWidth,
        int sourceMargin, int band, int flowMargin, String depthFill) {

    static final List<String> KEYS = List.of("flowLevel", "reach", "maxError", "seam", "featherWidth", "sourceMargin",
            "band", "flowMargin", "depthFill");
    /** Automatic flow margin at {@link #AUTO_MARGIN_SIDE} pixels on the longer side (eight scenes at 320x256). */
    static final int AUTO_MARGIN = 5;
    static final int AUTO_MARGIN_SIDE = 320;
    /** Largest flow margin, given or automatic. */
    static final int MAX_MARGIN = 64;
    static final List<String> SEAMS = List.of("poisson", "feather", "none");
    static final List<String> DEPTH_FILLS = List.of("harmonic", "plane", "quadratic");

    static PropagateSettings defaults() {
        return new PropagateSettings(-1, 200, 1.5, "feather", 4, 8, 16, -1, "plane");
    }

    public static PropagateSettings parse(Map<String, String> settings) {
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key)) {
                throw new UserInputException("unknown setting '" + key + "' for inpainting method propagate; allowed: "
                        + String.join(", ", KEYS));
            }
        }
        PropagateSettings d = defaults();
        String seam = settings.getOrDefault("seam", d.seam).trim().toLowerCase(Locale.ROOT);
        if (!SEAMS.contains(seam)) {
            throw new UserInputException("setting seam must be one of " + String.join(", ", SEAMS) + ", got '"
                    + settings.get("seam") + "'");
        }
        String depthFill = settings.getOrDefault("depthFill", d.depthFill).trim().toLowerCase(Locale.ROOT);
        if (!DEPTH_FILLS.contains(depthFill)) {
            throw new UserInputException("setting depthFill of propagate must be one of "
                    + String.join(", ", DEPTH_FILLS) + ", got '" + settings.get("depthFill") + "'");
        }
        return new PropagateSettings((int) number(settings, "flowLevel", d.flowLevel, -1, 4, true),
                (int) number(settings, "reach", d.reach, 1, 100000, true),
                number(settings, "maxError", d.maxError, 0.05, 100, false), seam,
                (int) number(settings, "featherWidth", d.featherWidth, 0, 64, true),
                (int) number(settings, "sourceMargin", d.sourceMargin, 0, 64, true),
                (int) number(settings, "band", d.band, 0, 64, true),
                (int) number(settings, "flowMargin", d.flowMargin, -1, MAX_MARGIN, true), depthFill);
    }

    /** The margin at this size, as at 320 pixels on the longer side and in proportion above. */
    public int flowMargin(int width, int height) {
        return flowMargin >= 0 ? flowMargin : Math.min(MAX_MARGIN, Math.max(AUTO_MARGIN, (int) Math.round(AUTO_MARGIN
                * Math.max(width, height) / (double) AUTO_MARGIN_SIDE)));
    }

    /** The flow level for a clip of this size. */
    int flowLevel(int width, int height) {
        return flowLevel >= 0 ? flowLevel : Math.max(width, height) > 400 ? 1 : 0;
    }

    private static double number(Map<String, String> s, String key, double fallback, double min, double max,
            boolean integer) {
        String text = s.get(key);
        if (text == null) {
            return fallback;
        }
        double v;
        try {
            v = integer ? Integer.parseInt(text.trim()) : Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new UserInputException("setting " + key + " of propagate must be " + (integer ? "an integer" : "a number")
                    + ", got '" + text + "'");
        }
        if (!(v >= min && v <= max)) {
            throw new UserInputException("setting " + key + " of propagate must lie in [" + (integer ? (long) min : min)
                    + ", " + (integer ? (long) max : max) + "]" + (min == -1 ? " (-1 = automatic)" : "")
                    + ", got " + text);
        }
        return v;
    }
}
