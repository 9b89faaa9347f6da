package org.diff2dgs.deform.internal;

import java.util.Map;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.model.GaussianModel;
import org.osgi.service.component.annotations.Component;

/** "gaussian-basis": the flexible deformation model exactly as the public Deform3DGS / Diff2DGS code. */
@Component(service = DeformationModel.class)
public final class GaussianBasisModel implements DeformationModel {

    public static final String NAME = "gaussian-basis";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Per-surfel learnable Gaussian time bases (Deform3DGS): 17 bases x 9 channels, squared exponent, "
                + "initial width 0.01, as the public code";
    }

    @Override
    public DeformationField create(GaussianModel canonical, long seed) {
        return GaussianBasisModels.create(NAME, BasisShape.PUBLIC_CODE, canonical);
    }

    @Override
    public DeformationField restore(int surfelCount, Map<String, float[]> tensors) {
        return GaussianBasisModels.restore(NAME, BasisShape.PUBLIC_CODE, surfelCount, tensors);
    }
}
