package org.diff2dgs.batch.api;

import java.util.Map;

import org.diff2dgs.train.api.TrainOptions;

/**
 * A named set of training options: the unit of an ablation ("no depth loss" = {"depthWeighting": "none"}).
 *
 * @param name        unique within the experiment; names the rows of the tables and the cell folders
 * @param description free text for the report, or empty
 * @param options     the method's own overrides, as written in the file (numbers, booleans, text)
 * @param training    the resolved options: preset, then the experiment's common options, then {@code options}; the
 *                    seed is replaced per cell
 * @param line        line of the method in the experiment file, for messages
 * @param inpaint     stage-1 method ("propagate", "diffusion", "oracle", "none"), or null for the pipeline's default
 * @param inpaintSettings settings of the stage-1 method (InpaintOptions.settings), empty for its defaults
 */
public record Method(String name, String description, Map<String, Object> options, TrainOptions training, int line,
        String inpaint, Map<String, String> inpaintSettings) {

    public Method {
        options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
        inpaintSettings = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(
                inpaintSettings == null ? Map.of() : inpaintSettings));
    }

    /** A method with the pipeline's default stage 1. */
    public Method(String name, String description, Map<String, Object> options, TrainOptions training, int line) {
        this(name, description, options, training, line, null, Map.of());
    }

    /** The stage-1 options of this method's cells. */
    public org.diff2dgs.core.api.InpaintOptions inpaintOptions() {
        return org.diff2dgs.core.api.InpaintOptions.defaults().withSettings(inpaintSettings);
    }
}
