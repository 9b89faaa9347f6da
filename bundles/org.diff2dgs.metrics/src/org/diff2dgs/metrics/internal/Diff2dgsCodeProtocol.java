package org.diff2dgs.metrics.internal;

import org.diff2dgs.core.api.EvaluationFrame;
import org.diff2dgs.core.api.EvaluationProtocol;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.metrics.eval.PngQuantization;
import org.osgi.service.component.annotations.Component;

/**
 * The protocol of the released Diff2DGS code: as {@link Deform3dgsProtocol}, but the reference is the INPAINTED test
 * frame, and both depth maps are cast to 8-bit PNG values before comparison ({@link PngQuantization#depthUint8Cast}).
 * The released script also subtracts those depths in 8-bit arithmetic, which wraps; we subtract exactly.
 */
@Component(service = EvaluationProtocol.class)
public final class Diff2dgsCodeProtocol extends PublishedCodeProtocol {

    public static final String NAME = "diff2dgs-code";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "As the released Diff2DGS scripts: like deform3dgs but against the inpainted test frame times the tissue "
                + "mask, and depth compared after both maps were cast to 8-bit PNG values";
    }

    @Override
    FloatImage reference(EvaluationFrame frame) {
        return frame.inpaintedImage();
    }

    @Override
    String missingReference() {
        return "needs the inpainted test frames, which were not given";
    }

    @Override
    FloatImage depthValues(FloatImage depth) {
        return PngQuantization.depthUint8Cast(depth);
    }
}
