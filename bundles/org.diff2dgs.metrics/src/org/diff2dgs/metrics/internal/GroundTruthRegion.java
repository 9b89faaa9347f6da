package org.diff2dgs.metrics.internal;

import org.diff2dgs.core.api.EvaluationFrame;
import org.diff2dgs.core.api.MetricSample;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.metrics.eval.PngQuantization;

/**
 * What the protocols that score against gt/ (synthetic scenes) share: which data they need, and the sample of the
 * clamped render against the true tissue over one region. They differ only in the region.
 */
final class GroundTruthRegion {

    private GroundTruthRegion() {
    }

    static String missingData(EvaluationFrame frame, boolean depth) {
        if (depth) {
            return DepthData.missing(frame.renderedDepth(), frame.frame().truthDepth(),
                    "ground-truth tissue depth (only synthetic scenes have one)");
        }
        return frame.frame().truthImage() == null
                ? "the frame has no ground-truth tissue image (only synthetic scenes have one)"
                : null;
    }

    static MetricSample sample(EvaluationFrame frame, boolean depth, FloatImage region) {
        FloatImage rendered = PngQuantization.clampUnit(frame.renderedImage());
        return new MetricSample(rendered, frame.frame().truthImage(), depth ? frame.renderedDepth() : null,
                depth ? frame.frame().truthDepth() : null, region);
    }
}
