package org.diff2dgs.app.headless.internal;

import org.diff2dgs.core.api.ReadOptions;

import picocli.CommandLine.Option;

/** Dataset options shared by validate, train and run. */
final class ReadOptionsMixin {

    @Option(names = "--format", description = "Dataset format (default: detected by probing the folder).")
    String format;

    @Option(names = "--mask-convention", description = "white-is-instrument | white-is-tissue (default: detected by "
            + "coverage, always reported).")
    String maskConvention;

    @Option(names = "--camera-convention", description = "endonerf | stereomis (default: detected, always reported).")
    String cameraConvention;

    @Option(names = "--split", description = "Train/test split rule: deform3dgs (default, test = frames 1, 9, 17, "
            + "...), endonerf, all.")
    String split;

    @Option(names = "--depth-scale", description = "Factor applied to stored depth values (default: the reader's).")
    Double depthScale;

    @Option(names = "--max-frames", description = "Read at most this many frames (0 = all).", defaultValue = "0")
    int maxFrames;

    @Option(names = "--inpainted", negatable = true, description = "The frames were inpainted elsewhere (instrument "
            + "pixels restored; masks/ still marks the instruments). Default: inpainted when the folder has "
            + "inpainting.json (written by stage 1); --no-inpainted overrides that.")
    Boolean inpainted;

    ReadOptions toReadOptions() {
        return new ReadOptions(maskConvention, cameraConvention, split, depthScale == null ? Double.NaN : depthScale,
                maxFrames, true, inpainted);
    }
}
