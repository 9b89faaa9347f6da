package org.diff2dgs.metrics.internal;

import org.diff2dgs.core.api.EvaluationFrame;
import org.diff2dgs.core.api.EvaluationProtocol;
import org.diff2dgs.core.api.MetricSample;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.metrics.eval.PngQuantization;
import org.diff2dgs.metrics.eval.Regions;
import org.osgi.service.component.annotations.Component;

/**
 * The visible tissue against the true tissue (synthetic scenes only): the same pixels as {@code masked-mean}, but the
 * reference is gt/ instead of the observed frame. The observed frame carries the instruments' shadows and blurred
 * edges on the tissue next to them (and sensor noise); a reconstruction trained on restored frames renders the tissue
 * without them and loses PSNR under {@code masked-mean} for being right (docs/benchmarks/inpainting.md). This protocol
 * tells the two apart.
 */
@Component(service = EvaluationProtocol.class)
public final class VisibleTruthProtocol implements EvaluationProtocol {

    public static final String NAME = "visible-truth";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Render (clamped to [0,1]) against the ground-truth tissue (no instrument shadows, no sensor noise), "
                + "averaged over the tissue pixels only, as masked-mean (synthetic scenes)";
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
        FloatImage tissue = Regions.tissue(frame.frame());
        FloatImage rendered = PngQuantization.clampUnit(frame.renderedImage());
        return new MetricSample(rendered, frame.frame().truthImage(), depth ? frame.renderedDepth() : null,
                depth ? frame.frame().truthDepth() : null, tissue);
    }
}
