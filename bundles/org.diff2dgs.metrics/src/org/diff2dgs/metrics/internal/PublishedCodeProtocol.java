package org.diff2dgs.metrics.internal;

import org.diff2dgs.core.api.EvaluationFrame;
import org.diff2dgs.core.api.EvaluationProtocol;
import org.diff2dgs.core.api.MetricSample;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.metrics.eval.PngQuantization;
import org.diff2dgs.metrics.eval.Regions;

/**
 * What the published Deform3DGS-family evaluation scripts do: render and reference go through 8-bit PNG files, both
 * are multiplied by the tissue mask, and colour metrics then run over the WHOLE image. The zeroed instrument pixels
 * agree exactly, which lowers the mean error and raises PSNR the more instrument there is. Depth is compared over
 * the tissue mask.
 */
abstract class PublishedCodeProtocol implements EvaluationProtocol {

    /** The colour the render is compared with, or null when the frame lacks it. */
    abstract FloatImage reference(EvaluationFrame frame);

    /** What is missing when {@link #reference} is null. */
    abstract String missingReference();

    /** The depth values the script compares (identity, or the cast to 8-bit PNG values). */
    abstract FloatImage depthValues(FloatImage depth);

    @Override
    public String missingData(EvaluationFrame frame, boolean depth) {
        if (depth) {
            return DepthData.missing(frame.renderedDepth(), frame.frame().depth(), "depth map");
        }
        return reference(frame) == null ? missingReference() : null;
    }

    @Override
    public MetricSample sample(EvaluationFrame frame, boolean depth) {
        FloatImage tissue = Regions.tissue(frame.frame());
        FloatImage reference = reference(frame);
        if (depth) {
            FloatImage rendered = Regions.masked(depthValues(frame.renderedDepth()), tissue);
            FloatImage target = Regions.masked(depthValues(frame.frame().depth()), tissue);
            return new MetricSample(frame.renderedImage(), reference, rendered, target, tissue);
        }
        FloatImage rendered = Regions.masked(PngQuantization.colour8Bit(frame.renderedImage()), tissue);
        FloatImage target = Regions.masked(PngQuantization.colour8Bit(reference), tissue);
        return new MetricSample(rendered, target, null, null, null);
    }
}
