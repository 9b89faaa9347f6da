package org.diff2dgs.pipeline.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.diff2dgs.metrics.api.Evaluation;
import org.diff2dgs.metrics.api.MetricResult;
import org.diff2dgs.pipeline.api.Stages;

/**
 * The stage-1 quality of a run (recorded by the inpaint stage on clips with ground truth) as one more evaluation in
 * metrics.json, under the protocol "inpainting", so that tables and batch reports show it beside the reconstruction.
 * One value per clip (over all frames), so std is NaN and the frame list is empty.
 */
final class Stage1Evaluation {

    static final String PROTOCOL = "inpainting";
    static final String DESCRIPTION = "Stage 1 (before reconstruction): the inpainted frames, all of them, against the "
            + "ground-truth tissue over the instrument region (psnr, ssim, depth-rmse; *-raw: the observed frames); "
            + "temporal-error: flow-warped difference of consecutive inpainted frames (temporal-error-gt: the same on "
            + "the ground truth)";

    private Stage1Evaluation() {
    }

    static Evaluation of(RunState state, int frames) {
        Object q = state.stages.get(Stages.INPAINT).detail.get("quality");
        if (!(q instanceof Map<?, ?> quality) || quality.isEmpty()) {
            return null;
        }
        List<MetricResult> results = new ArrayList<>();
        for (Map.Entry<?, ?> e : quality.entrySet()) {
            String name = e.getKey().toString();
            double v = e.getValue() instanceof Number n ? n.doubleValue() : Double.NaN;
            boolean higher = name.startsWith("psnr") || name.startsWith("ssim");
            results.add(new MetricResult(PROTOCOL, name, higher, v, Double.NaN, frames, List.of()));
        }
        return new Evaluation(PROTOCOL, DESCRIPTION, List.of(), results, List.of());
    }
}
