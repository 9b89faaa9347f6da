package org.diff2dgs.cuda.tests;

import java.util.Map;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.model.GaussianModel;

/**
 * A deformation model that is only a name: the CUDA backend picks its kernels by the model's name and never asks the
 * model for a field, so the host-layer tests need nothing else.
 */
final class NamedDeformationModel {

    private NamedDeformationModel() {
    }

    static DeformationModel of(String name) {
        return new DeformationModel() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return name;
            }

            @Override
            public DeformationField create(GaussianModel canonical, long seed) {
                throw new UnsupportedOperationException();
            }

            @Override
            public DeformationField restore(int surfelCount, Map<String, float[]> tensors) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
