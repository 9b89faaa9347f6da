package org.diff2dgs.inpaint.diffusion.internal;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.diff2dgs.core.api.UserInputException;

/**
 * The settings of the diffusion method ({@code InpaintOptions.settings}), parsed and checked.
 *
 * @param modelDir      folder of the exported graphs, or null for the system property, environment or default
 * @param steps         sampling steps (published: 2, the PCM "2-Step" checkpoint)
 * @param overlap       frames shared by neighbouring windows, or -1 for frames / 4 (published)
 * @param keyFrames     "auto" (published: a first pass over evenly spaced key frames when the clip has more than
 *                      twice the window's frames), "on" or "off"
 * @param blend         true: feathered composite with the blurred region (published); false: hard region
 * @param prior         name of the inpainter whose result is the prior (default "propagate")
 * @param priorSettings settings handed to the prior, given here as "prior.NAME"
 */
public record DiffusionSettings(String modelDir, int steps, int overlap, String keyFrames, boolean blend,
        String prior, Map<String, String> priorSettings) {

    public static final String PRIOR_PREFIX = "prior.";
    private static final Set<String> KNOWN = Set.of(ModelLocator.SETTING, "steps", "overlap", "keyFrames", "blend",
            "prior");

    public static DiffusionSettings parse(Map<String, String> settings) {
        Map<String, String> priorSettings = new TreeMap<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (e.getKey().startsWith(PRIOR_PREFIX)) {
                priorSettings.put(e.getKey().substring(PRIOR_PREFIX.length()), e.getValue());
            } else if (!KNOWN.contains(e.getKey())) {
                throw new UserInputException("diffusion: unknown setting '" + e.getKey() + "' (known: "
                        + new TreeSet<>(KNOWN) + " and prior.NAME for the prior method)");
            }
        }
        int steps = integer(settings, "steps", TcdSchedule.PUBLISHED_STEPS);
        int overlap = integer(settings, "overlap", -1);
        String keyFrames = settings.getOrDefault("keyFrames", "auto");
        if (!Set.of("auto", "on", "off").contains(keyFrames)) {
            throw new UserInputException("diffusion: keyFrames must be auto, on or off, got " + keyFrames);
        }
        String blend = settings.getOrDefault("blend", "true");
        if (!blend.equals("true") && !blend.equals("false")) {
            throw new UserInputException("diffusion: blend must be true or false, got " + blend);
        }
        String prior = settings.getOrDefault("prior", "propagate");
        if (prior.equals("diffusion")) {
            throw new UserInputException("diffusion: the prior cannot be the diffusion method itself");
        }
        return new DiffusionSettings(settings.get(ModelLocator.SETTING), steps, overlap, keyFrames,
                blend.equals("true"), prior, priorSettings);
    }

    private static int integer(Map<String, String> settings, String key, int fallback) {
        String v = settings.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UserInputException("diffusion: " + key + " must be an integer, got '" + v + "'");
        }
    }
}
