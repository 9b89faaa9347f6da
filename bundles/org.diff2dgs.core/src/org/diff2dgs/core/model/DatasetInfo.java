package org.diff2dgs.core.model;

import java.util.List;
import java.util.Map;

/**
 * What a reader decided while loading a clip, so that every choice is reported and none is silent.
 *
 * @param format           reader format name (e.g. "endonerf")
 * @param cameraConvention "endonerf", "stereomis", ... (detected or forced)
 * @param maskConvention   "white-is-instrument" or "white-is-tissue" (detected or forced)
 * @param depthScale       factor applied to stored depth values
 * @param depthRange       min and max valid depth over the clip after scaling
 * @param facts            further reader-specific facts for reports (bit depth, fingerprint, ...)
 * @param warnings         non-fatal findings
 * @param inpainted        the frames' instrument pixels were restored (stage 1, or elsewhere as the user says): the
 *                         images and depth are complete, the masks still mark where the instruments were
 */
public record DatasetInfo(String format, String cameraConvention, String maskConvention, double depthScale,
        double[] depthRange, Map<String, String> facts, List<String> warnings, boolean inpainted) {

    public DatasetInfo {
        facts = Map.copyOf(facts);
        warnings = List.copyOf(warnings);
    }

    /** A clip whose frames are as recorded (not inpainted). */
    public DatasetInfo(String format, String cameraConvention, String maskConvention, double depthScale,
            double[] depthRange, Map<String, String> facts, List<String> warnings) {
        this(format, cameraConvention, maskConvention, depthScale, depthRange, facts, warnings, false);
    }
}
