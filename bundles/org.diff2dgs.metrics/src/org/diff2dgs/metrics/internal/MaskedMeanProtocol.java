package org.diff2dgs.metrics.internal;

import org.diff2dgs.core.api.EvaluationFrame;
import org.diff2dgs.core.api.EvaluationProtocol;
import org.diff2dgs.core.api.MetricSample;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.metrics.eval.PngQuantization;
import org.diff2dgs.metrics.eval.Regions;
import org.osgi.service.component.annotations.Component;

/**
 * Our honest variant: every metric is averaged over tissue pixels only, so instrument pixels neither count as perfect
 * nor as errors. The render is clamped to [0,1]; no 8-bit rounding.
 */
@Component(service = EvaluationProtocol.class)
public final class MaskedMeanProtocol implements EvaluationProtocol {

    public static final String NAME = "masked-mean";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Render (clamped to [0,1]) against the observed frame, every metric averaged over tissue pixels only";
    }

    @Override
    public String missingData(EvaluationFrame frame, boolean depth) {
        return depth ? DepthData.missing(frame.renderedDepth(), frame.frame().depth(), "depth map") : null;
    }

    @Override
    public MetricSample sample(EvaluationFrame frame, boolean depth) {
        FloatImage tissue = Regions.tissue(frame.frame());
        FloatImage rendered = PngQuantization.clampUnit(frame.renderedImage());
        return new MetricSample(rendered, frame.frame().image(), depth ? frame.renderedDepth() : null,
                depth ? frame.frame().depth() : null, tissue);
    }
}
