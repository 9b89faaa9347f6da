package org.diff2dgs.core.api;

import java.nio.file.Path;

import org.diff2dgs.core.model.Sequence;

/**
 * Stage 1 of Diff2DGS: restores the tissue hidden by the instruments (colour and depth) and writes the result as a clip
 * in the dataset layout, so that stage 2 reads it like any other clip (see docs/inpainting.md for the on-disk
 * contract). Registered as an OSGi service; methods are chosen by {@link #name()} ("propagate", "diffusion", ...), so
 * labs add their own as bundles.
 * <p>
 * Implementations write through {@link org.diff2dgs.core.io.InpaintedClipWriter}, which puts everything into a
 * temporary sibling folder and renames it into place on success: a failed or cancelled call leaves no output.
 */
public interface Inpainter {

    /** Short method name used on the command line and in tables, e.g. "propagate". */
    String name();

    /** One line for `info` and reports. */
    String description();

    /** Null when usable, else why not (e.g. "diffusion: weights not found in ..."); checked before any work. */
    default String unavailableReason() {
        return null;
    }

    /**
     * The same check for one run's method-specific settings ({@link InpaintOptions#settings()}), which may name what
     * the check looks at, e.g. the diffusion method's model folder; callers that have the settings ask this one. By
     * default the settings change nothing.
     */
    default String unavailableReason(java.util.Map<String, String> settings) {
        return unavailableReason();
    }

    /**
     * True when the method reads the clip's ground truth ({@code gt/}, e.g. the oracle); otherwise callers may read
     * the clip without it ({@link DatasetReader#readCompact}).
     */
    default boolean needsGroundTruth() {
        return false;
    }

    /**
     * Inpaints every frame of {@code clip} inside its (eroded and dilated) instrument masks.
     *
     * @param clip     frames with instrument masks ({@link org.diff2dgs.core.model.Frame#instrumentMask()}), depth
     *                 optional; {@link Sequence#source()} is the folder the clip was read from (its masks, poses and
     *                 depth files are copied from there)
     * @param options  mask handling, depth completion, threads and method-specific settings
     * @param output   the inpainted dataset folder to create; must not exist or be an empty folder
     * @param progress progress and cancellation ({@link CancelledException} leaves no output)
     * @return what was done, also written as {@code output/inpainting.json}
     * @throws UserInputException for unusable input (masks covering everything or nothing, no visible tissue, masks
     *                            of another size, an output folder that is not empty), naming the file or frame
     */
    InpaintResult inpaint(Sequence clip, InpaintOptions options, Path output, Progress progress);
}
