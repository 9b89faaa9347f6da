package org.diff2dgs.app.headless.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.diff2dgs.core.api.InpaintOptions;

import picocli.CommandLine.Option;

/** Stage-1 options shared by inpaint, train and run. */
final class InpaintOptionsMixin {

    @Option(names = "--mask-erode", paramLabel = "N", defaultValue = "" + InpaintOptions.PUBLISHED_ERODE,
            description = "3x3 erosions of the instrument masks before dilation (default: ${DEFAULT-VALUE}, as the "
                    + "published pipeline).")
    int erode;

    @Option(names = "--mask-dilate", paramLabel = "N", defaultValue = "" + InpaintOptions.PUBLISHED_DILATE,
            description = "3x3 dilations of the instrument masks: the restored region (default: ${DEFAULT-VALUE}, as "
                    + "the published pipeline).")
    int dilate;

    @Option(names = "--keep-instrument-depth", description = "Restore colour only and keep the measured depth under "
            + "the instruments (what the published pipeline does).")
    boolean keepDepth;

    @Option(names = "--inpaint-threads", paramLabel = "N", defaultValue = "0",
            description = "Worker threads for stage 1 (default: all processors).")
    int threads;

    @Option(names = "--inpaint-setting", paramLabel = "KEY=VALUE", description = "Method-specific setting, "
            + "repeatable (propagate: flowLevel, flowMargin, reach, maxError, seam, featherWidth, sourceMargin, band; "
            + "oracle: scope=frame|region; see docs/inpainting.md).")
    Map<String, String> settings = new LinkedHashMap<>();

    InpaintOptions toOptions() {
        InpaintOptions d = InpaintOptions.defaults();
        return new InpaintOptions(erode, dilate, !keepDepth, threads, d.seed(), settings);
    }
}
