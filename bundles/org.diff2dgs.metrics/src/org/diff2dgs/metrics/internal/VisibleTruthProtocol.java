package org.diff2dgs.metrics.internal;

import org.diff2dgs.core.api.EvaluationFrame;
import org.diff2dgs.core.api.EvaluationProtocol;
import org.diff2dgs.core.api.MetricSample;
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
        return GroundTruthRegion.missingData(frame, depth);
    }

    @Override
    public MetricSample sample(EvaluationFrame frame, boolean depth) {
        return GroundTruthRegion.sample(frame, depth, Regions.tissue(frame.frame()));
    }
}
