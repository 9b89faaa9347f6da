package org.diff2dgs.deform.internal;

import java.util.Map;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.model.GaussianModel;
import org.osgi.service.component.annotations.Component;

/**
 * "gaussian-basis-smooth": the same model with plain Gaussian bases exp(-(t - mu)^2 / (sigma^2 + 1e-4)) and initial
 * width equal to the centre spacing, so that every time has basis support from the first iteration.
 */
@Component(service = DeformationModel.class)
public final class SmoothGaussianBasisModel implements DeformationModel {

    public static final String NAME = "gaussian-basis-smooth";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Gaussian time bases with overlapping support from the start: plain exponent, initial width 1/16";
    }

    @Override
    public DeformationField create(GaussianModel canonical, long seed) {
        return GaussianBasisModels.create(NAME, BasisShape.SMOOTH, canonical);
    }

    @Override
    public DeformationField restore(int surfelCount, Map<String, float[]> tensors) {
        return GaussianBasisModels.restore(NAME, BasisShape.SMOOTH, surfelCount, tensors);
    }
}
