package org.diff2dgs.train.internal;

import java.util.Arrays;

import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.train.api.SessionState;
import org.diff2dgs.train.api.TrainOptions;

/**
 * The Adam groups of a training session and their rates, shared by every backend so that a GPU session registers the
 * same groups with the same rates as {@link CpuTrainingSession}: the five surfel tensors (named as in
 * {@link SessionState}) and every deformation tensor, each its own group (3DGS registers one tensor per group).
 */
public final class OptimizerGroups {

    private OptimizerGroups() {
    }

    /** Rate of a surfel tensor at the start of training (positions decay later, see IterationPlan.positionLr). */
    public static double initialRate(String surfelTensor, TrainOptions o) {
        return switch (surfelTensor) {
            case SessionState.POSITIONS -> o.positionLrInit() * o.spatialScale();
            case SessionState.ROTATIONS -> o.rotationLr();
            case SessionState.LOG_SCALES -> o.scalingLr();
            case SessionState.OPACITY_LOGITS -> o.opacityLr();
            case SessionState.SH -> o.shLr();
            default -> throw new IllegalArgumentException("not a surfel tensor: " + surfelTensor);
        };
    }

    /** Rate of a deformation tensor at the start of training. */
    public static double initialDeformationRate(Parameter p, TrainOptions o) {
        return deformationRate(p, o.deformationLrInit() * o.spatialScale(), o);
    }

    /**
     * Per-surfel deformation tensors (Gaussian time bases) take the position-like rate of Deform3DGS. Shared network
     * weights (the MLP field) are seen by every surfel at once, so that rate makes them diverge within a few steps;
     * they take {@code sharedWeightLrFactor} of it (default a hundredth: 1.6e-5 at the start of the published
     * schedule).
     */
    public static double deformationRate(Parameter p, double perSurfelRate, TrainOptions o) {
        return p.perSurfel() ? perSurfelRate : perSurfelRate * o.sharedWeightLrFactor();
    }

    /**
     * Rate factor per SH column (3 colours per coefficient): 1 for the DC term, shRestLrFactor for the others
     * (published: feature_lr for the DC, feature_lr / 20 for the rest).
     */
    public static float[] shColumnScale(int coefficients, double restFactor) {
        float[] scale = new float[3 * coefficients];
        Arrays.fill(scale, (float) restFactor);
        Arrays.fill(scale, 0, 3, 1f);
        return scale;
    }
}
