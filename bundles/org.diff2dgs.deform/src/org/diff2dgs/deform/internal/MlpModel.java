package org.diff2dgs.deform.internal;

import java.util.Map;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.model.GaussianModel;
import org.osgi.service.component.annotations.Component;

/** "mlp": one small MLP shared by all surfels, a light alternative to per-surfel time bases. */
@Component(service = DeformationModel.class)
public final class MlpModel implements DeformationModel {

    public static final String NAME = "mlp";

    private final MlpArchitecture arch = MlpArchitecture.DEFAULT;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Shared MLP f(x, y, z, t) -> 9 offsets: positional encoding (4 position, 6 time frequencies), "
                + "2 hidden ReLU layers of 64";
    }

    @Override
    public DeformationField create(GaussianModel canonical, long seed) {
        return MlpField.create(NAME, arch, canonical, seed);
    }

    @Override
    public DeformationField restore(int surfelCount, Map<String, float[]> tensors) {
        if (surfelCount < 0) {
            throw new UserInputException("negative surfel count " + surfelCount + " in checkpoint");
        }
        int h = arch.hidden();
        return new MlpField(NAME, arch, surfelCount, tensor(tensors, MlpField.W1, arch.inputs() * h),
                tensor(tensors, MlpField.B1, h), tensor(tensors, MlpField.W2, h * h), tensor(tensors, MlpField.B2, h),
                tensor(tensors, MlpField.W3, h * MlpField.OUT), tensor(tensors, MlpField.B3, MlpField.OUT),
                tensor(tensors, MlpField.NORMALIZATION, 4));
    }

    private static float[] tensor(Map<String, float[]> tensors, String name, int size) {
        float[] v = tensors.get(name);
        if (v == null) {
            throw new UserInputException("checkpoint has no tensor " + name + " for deformation model " + NAME);
        }
        if (v.length != size) {
            throw new UserInputException("checkpoint tensor " + name + " has " + v.length + " values, expected "
                    + size + " (model " + NAME + ")");
        }
        return v.clone();
    }
}
