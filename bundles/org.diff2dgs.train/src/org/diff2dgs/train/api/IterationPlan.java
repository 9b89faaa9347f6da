package org.diff2dgs.train.api;

/**
 * What the schedule asks of one iteration; the session does the tensor work.
 *
 * @param iteration      1-based iteration number (the published script counts from 1)
 * @param frame          index of the training frame in the sequence
 * @param activeSh       SH degree in use
 * @param positionLr     learning rate of the canonical positions at this iteration (decayed)
 * @param deformationLr  learning rate of per-surfel deformation tensors (shared weights take
 *                       {@code sharedWeightLrFactor} of it)
 * @param normalTerm     add the normal-consistency loss with the options' weight
 * @param distortionTerm add the depth-distortion loss with the options' weight
 * @param depthWeight    the weight of the inverse-depth loss, asked once per iteration when the frame has a depth
 *                       map; null: no depth term
 * @param step           take an Adam step (false: only clear the gradients)
 * @param accumulateStatistics add this iteration's screen gradients and radii to the density statistics
 */
public record IterationPlan(int iteration, int frame, int activeSh, double positionLr, double deformationLr,
        boolean normalTerm, boolean distortionTerm, DepthWeighting depthWeight, boolean step,
        boolean accumulateStatistics) {

    /**
     * The depth weight of an iteration from its L1 colour loss and its depth loss, both computed before the backward
     * pass (the adaptive rule balances the two). The CPU session calls it directly; a GPU session reads back the two
     * scalars, calls it, and passes the weight to the backward kernels. Called at most once per iteration, so a
     * stateful rule (a running ratio) stays in step.
     */
    @FunctionalInterface
    public interface DepthWeighting {
        double weight(double l1, double depthLoss);
    }
}
