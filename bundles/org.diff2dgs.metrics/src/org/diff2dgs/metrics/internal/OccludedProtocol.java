package org.diff2dgs.metrics.internal;

import org.diff2dgs.core.api.EvaluationFrame;
import org.diff2dgs.core.api.EvaluationProtocol;
import org.diff2dgs.core.api.MetricSample;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.metrics.eval.PngQuantization;
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
        if (depth) {
            return DepthData.missing(frame.renderedDepth(), frame.frame().truthDepth(),
                    "ground-truth tissue depth (only synthetic scenes have one)");
        }
        return frame.frame().truthImage() == null
                ? "the frame has no ground-truth tissue image (only synthetic scenes have one)"
                : null;
    }

    @Override
    public MetricSample sample(EvaluationFrame frame, boolean depth) {
        FloatImage occluded = Regions.occluded(frame.frame());
        FloatImage rendered = PngQuantization.clampUnit(frame.renderedImage());
        return new MetricSample(rendered, frame.frame().truthImage(), depth ? frame.renderedDepth() : null,
                depth ? frame.frame().truthDepth() : null, occluded);
    }
}
