package org.diff2dgs.train.api;

/**
 * Every setting of stage 2 in one record, with the defaults of the public Diff2DGS code in {@link #published()}
 * (design/reconstruction.md, "Optimization defaults") and a smaller schedule for CPUs in {@link #cpuQuick()}.
 *
 * @param iterations            optimization steps
 * @param seed                  all randomness (frame order, splits of surfels) derives from it
 * @param deformationModel      name of the DeformationModel service ("gaussian-basis", "mlp")
 * @param shDegree              maximum SH degree; the active degree grows by one every {@code shIncreaseInterval}
 * @param shIncreaseInterval    iterations between SH degree increases
 * @param positionLrInit        position learning rate at step 0 (times the scene's spatial scale)
 * @param positionLrFinal       position learning rate at {@code positionLrSteps}
 * @param positionLrSteps       length of the exponential decay
 * @param deformationLrInit     deformation learning rate at step 0 (decays like the position rate)
 * @param deformationLrFinal    deformation learning rate at the end of the decay
 * @param shLr                  SH coefficients
 * @param opacityLr             opacity logits
 * @param scalingLr             log-scales
 * @param rotationLr            quaternions
 * @param adamEps               Adam epsilon
 * @param spatialScale          multiplies the position learning rates (public code: 10)
 * @param lambdaDssim           weight of D-SSIM in (1 - l) L1 + l (1 - SSIM)
 * @param depthWeighting        "adaptive" (Diff2DGS code), "fixed" or "none"
 * @param depthWeight           the fixed weight, or the adaptive rule's initial weight
 * @param normalWeight          2DGS normal-consistency weight (0 = off)
 * @param normalFromIteration   normal consistency starts here (2DGS: 7000 of 30000)
 * @param distortionWeight      2DGS depth-distortion weight (0 = off)
 * @param distortionFromIteration distortion starts here (2DGS: 3000 of 30000)
 * @param densifyFrom           first densification iteration
 * @param densifyUntil          last densification iteration
 * @param densifyInterval       iterations between densifications
 * @param densifyGradThreshold  mean screen-space gradient (NDC) above which surfels are cloned or split
 * @param opacityResetInterval  iterations between opacity resets (0 = never)
 * @param pruneOpacity          surfels below this opacity are pruned
 * @param maxSurfels            densification stops growing beyond this count
 * @param initSubsample         fraction of back-projected pixels kept at initialization
 * @param initOpacity           opacity of new surfels
 * @param near                  culling plane / distortion near
 * @param far                   distortion far
 * @param maskInstruments       exclude instrument pixels from every loss (true unless the frames are inpainted)
 * @param checkpointInterval    iterations between checkpoints (0 = only at the end)
 */
public record TrainOptions(int iterations, long seed, String deformationModel, int shDegree, int shIncreaseInterval,
        double positionLrInit, double positionLrFinal, int positionLrSteps, double deformationLrInit,
        double deformationLrFinal, double shLr, double opacityLr, double scalingLr, double rotationLr, double adamEps,
        double spatialScale, double lambdaDssim, String depthWeighting, double depthWeight, double normalWeight,
        int normalFromIteration, double distortionWeight, int distortionFromIteration, int densifyFrom,
        int densifyUntil, int densifyInterval, double densifyGradThreshold, int opacityResetInterval,
        double pruneOpacity, int maxSurfels, double initSubsample, double initOpacity, double near, double far,
        boolean maskInstruments, int checkpointInterval) {

    public TrainOptions {
        check(iterations > 0, "iterations must be positive, got " + iterations);
        check(shDegree >= 0 && shDegree <= 3, "shDegree must be 0..3, got " + shDegree);
        check(lambdaDssim >= 0 && lambdaDssim <= 1, "lambdaDssim must be in [0,1], got " + lambdaDssim);
        check(java.util.Set.of("adaptive", "fixed", "none").contains(depthWeighting),
                "depthWeighting must be adaptive, fixed or none, got " + depthWeighting);
        check(initSubsample > 0 && initSubsample <= 1, "initSubsample must be in (0,1], got " + initSubsample);
        check(near > 0 && far > near, "near/far must satisfy 0 < near < far");
        check(densifyInterval > 0 && shIncreaseInterval > 0, "intervals must be positive");
        check(maxSurfels > 0, "maxSurfels must be positive");
    }

    /** The schedule of the public Diff2DGS code (3000 iterations, seed 6666). */
    public static TrainOptions published() {
        return new TrainOptions(3000, 6666, "gaussian-basis", 3, 500, 1.6e-3, 1.6e-5, 4000, 1.6e-3, 1.6e-5, 2.5e-3,
                0.05, 5e-3, 1e-3, 1e-15, 10, 0.2, "adaptive", 10, 0.05, 1000, 0, 3000, 500, 2500, 100, 2e-4, 3000,
                0.005, 400_000, 0.1, 0.1, 0.03, 250, true, 500);
    }

    /**
     * Sized for a laptop without GPU: a third of the published iterations with proportionally earlier densification,
     * and a surfel cap that keeps one iteration fast on two cores.
     */
    public static TrainOptions cpuQuick() {
        return published().with(java.util.Map.of("iterations", 1000, "densifyFrom", 200, "densifyUntil", 800,
                "maxSurfels", 60_000, "shIncreaseInterval", 250, "normalFromIteration", 400,
                "checkpointInterval", 250));
    }

    /** The same options with the named components changed (see RecordOverrides). */
    public TrainOptions with(java.util.Map<String, ?> overrides) {
        return org.diff2dgs.core.io.RecordOverrides.apply(this, overrides, "training");
    }

    /** Rejects values no run could use; called by the constructor. */
    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new org.diff2dgs.core.api.UserInputException("training option " + message);
        }
    }
}
