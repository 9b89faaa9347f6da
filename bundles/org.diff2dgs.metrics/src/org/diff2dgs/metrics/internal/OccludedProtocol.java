package org.diff2dgs.metrics.internal;

import org.diff2dgs.core.api.EvaluationFrame;
import org.diff2dgs.core.api.EvaluationProtocol;
import org.diff2dgs.core.api.MetricSample;
import org.diff2dgs.metrics.eval.Regions;
import org.osgi.service.component.annotations.Component;

/**
 * How well the hidden tissue is recovered (synthetic scenes only): the render against the true tissue image and depth
 * (gt/), over the instrument region. A frame without instrument pixels has nothing to measure and gives NaN.
 */
@Component(service = EvaluationProtocol.class)
public final class OccludedProtocol implements EvaluationProtocol {

    public static final String NAME = "occluded";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Render (clamped to [0,1]) against the ground-truth tissue without instruments, over the instrument "
                + "region only (synthetic scenes)";
    }

    @Override
    public String missingData(EvaluationFrame frame, boolean depth) {
        return GroundTruthRegion.missingData(frame, depth);
    }

    @Override
    public MetricSample sample(EvaluationFrame frame, boolean depth) {
        return GroundTruthRegion.sample(frame, depth, Regions.occluded(frame.frame()));
    }
}
