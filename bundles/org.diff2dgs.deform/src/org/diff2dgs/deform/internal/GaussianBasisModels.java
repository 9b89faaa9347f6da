package org.diff2dgs.deform.internal;

import java.util.Map;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.model.GaussianModel;

/** Creation and checkpoint restore shared by the Gaussian-basis model services. */
final class GaussianBasisModels {

    private GaussianBasisModels() {
    }

    static DeformationField create(String name, BasisShape shape, GaussianModel canonical) {
        return GaussianBasisField.identity(name, shape, canonical.count());
    }

    static DeformationField restore(String name, BasisShape shape, int surfelCount, Map<String, float[]> tensors) {
        float[] v = tensors.get(GaussianBasisField.PARAMETER);
        if (v == null) {
            throw new UserInputException("checkpoint has no tensor " + GaussianBasisField.PARAMETER
                    + " for deformation model " + name);
        }
        int width = GaussianBasisField.CHANNELS * 3 * shape.basisCount();
        if (surfelCount < 0 || v.length != (long) surfelCount * width) {
            throw new UserInputException("checkpoint tensor " + GaussianBasisField.PARAMETER + " has " + v.length
                    + " values, expected " + surfelCount + " surfels x " + width + " (model " + name + ")");
        }
        return new GaussianBasisField(name, shape, surfelCount, v.clone());
    }
}
