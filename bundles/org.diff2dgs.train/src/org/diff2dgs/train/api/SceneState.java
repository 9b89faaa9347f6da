package org.diff2dgs.train.api;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.model.GaussianModel;

/**
 * A trained (or partly trained) scene: canonical surfels, their deformation over time and how far training got.
 *
 * @param activeShDegree SH degree in use at {@code iteration}
 * @param near           near plane the scene was trained with (evaluation renders with the same)
 * @param far            far plane the scene was trained with
 */
public record SceneState(GaussianModel surfels, DeformationField deformation, int activeShDegree, int iteration,
        double near, double far) {
}
