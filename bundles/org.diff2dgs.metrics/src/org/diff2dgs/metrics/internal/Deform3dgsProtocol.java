package org.diff2dgs.metrics.internal;

import org.diff2dgs.core.api.EvaluationFrame;
import org.diff2dgs.core.api.EvaluationProtocol;
import org.diff2dgs.core.model.FloatImage;
import org.osgi.service.component.annotations.Component;

/** The protocol behind most EndoNeRF/StereoMIS tables (Deform3DGS, EndoGaussian metrics.py). */
@Component(service = EvaluationProtocol.class)
public final class Deform3dgsProtocol extends PublishedCodeProtocol {

    public static final String NAME = "deform3dgs";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "As the Deform3DGS scripts: render and observed frame through 8-bit PNG, both multiplied by the tissue "
                + "mask, colour metrics over all pixels (zeroed instrument pixels included); depth over the tissue mask";
    }

    @Override
    FloatImage reference(EvaluationFrame frame) {
        return frame.frame().image();
    }

    @Override
    String missingReference() {
        return "the frame has no image";
    }

    @Override
    FloatImage depthValues(FloatImage depth) {
        return depth;
    }
}
