package org.diff2dgs.train.api;

import java.util.Map;
import java.util.Set;

import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.io.RecordOverrides;

/**
 * Every setting of stage 2. The defaults live in one place, the field initializers of {@link Builder}, and they are
 * the published Diff2DGS reconstruction code (docs/reconstruction.md cites file and line for each); {@link #cpu()}
 * names every way our CPU default departs from them. Options are changed by name ({@link #with(Map)}, {@code --set},
 * batch methods) or with the builder; nobody calls the canonical constructor with positional values.
 */
public record TrainOptions(
        // schedule
        int iterations, long seed, String frameOrder, int checkpointInterval,
        // model
        String deformationModel, int shDegree, int shIncreaseInterval,
        // initialization
        double initSubsample, double initLaterSubsample, String initRotation, double initOpacity,
        // learning rates and Adam
        double positionLrInit, double positionLrFinal, int positionLrSteps, double deformationLrInit,
        double deformationLrFinal, double spatialScale, double sharedWeightLrFactor, double shLr,
        double shRestLrFactor, double opacityLr, double scalingLr, double rotationLr, double adamBeta1,
        double adamBeta2, double adamEps, boolean optimizerStepOnDensify,
        // losses
        double lambdaDssim, String depthWeighting, double depthWeight, double depthWeightDecay,
        double depthWeightGain, double depthWeightMin, double depthWeightMax, double normalWeight,
        int normalFromIteration, double distortionWeight, int distortionFromIteration, boolean maskInstruments,
        // density control
        int densifyFrom, int densifyUntil, int densifyInterval, double densifyGradThreshold, double percentDense,
        double sceneExtent, int opacityResetInterval, double pruneOpacity, int maxSurfels,
        // rendering (training and evaluation)
        double near, double far) {

    /** Frame orders: a uniform draw per iteration (published), or a fresh permutation per epoch. */
    public static final Set<String> FRAME_ORDERS = Set.of("random", "epochs");
    /** Initial rotations: random quaternions (published) or facing along the depth map's normal. */
    public static final Set<String> INIT_ROTATIONS = Set.of("random", "depth-normal");
    public static final Set<String> DEPTH_WEIGHTINGS = Set.of("adaptive", "fixed", "none");

    public TrainOptions {
        check(iterations > 0, "iterations must be positive, got " + iterations);
        check(FRAME_ORDERS.contains(frameOrder), "frameOrder must be random or epochs, got " + frameOrder);
        check(checkpointInterval >= 0, "checkpointInterval must be >= 0, got " + checkpointInterval);
        check(deformationModel != null && !deformationModel.isBlank(), "deformationModel is missing");
        check(shDegree >= 0 && shDegree <= 3, "shDegree must be 0..3, got " + shDegree);
        check(shIncreaseInterval > 0, "shIncreaseInterval must be positive, got " + shIncreaseInterval);
        check(initSubsample > 0 && initSubsample <= 1, "initSubsample must be in (0,1], got " + initSubsample);
        check(initLaterSubsample > 0 && initLaterSubsample <= 1,
                "initLaterSubsample must be in (0,1], got " + initLaterSubsample);
        check(INIT_ROTATIONS.contains(initRotation), "initRotation must be random or depth-normal, got "
                + initRotation);
        check(initOpacity > 0 && initOpacity < 1, "initOpacity must be in (0,1), got " + initOpacity);
        check(positionLrInit >= 0 && positionLrFinal >= 0 && deformationLrInit >= 0 && deformationLrFinal >= 0,
                "learning rates must be >= 0");
        check(positionLrSteps > 0, "positionLrSteps must be positive, got " + positionLrSteps);
        check(spatialScale > 0, "spatialScale must be positive, got " + spatialScale);
        check(sharedWeightLrFactor > 0, "sharedWeightLrFactor must be positive, got " + sharedWeightLrFactor);
        check(shLr >= 0 && shRestLrFactor >= 0 && opacityLr >= 0 && scalingLr >= 0 && rotationLr >= 0,
                "learning rates must be >= 0");
        check(adamBeta1 >= 0 && adamBeta1 < 1 && adamBeta2 >= 0 && adamBeta2 < 1 && adamEps >= 0,
                "Adam needs 0 <= beta < 1 and eps >= 0");
        check(lambdaDssim >= 0 && lambdaDssim <= 1, "lambdaDssim must be in [0,1], got " + lambdaDssim);
        check(DEPTH_WEIGHTINGS.contains(depthWeighting),
                "depthWeighting must be adaptive, fixed or none, got " + depthWeighting);
        check(depthWeight >= 0, "depthWeight must be >= 0, got " + depthWeight);
        check(depthWeightMin <= depthWeightMax, "depthWeightMin " + depthWeightMin + " exceeds depthWeightMax "
                + depthWeightMax);
        check(normalWeight >= 0 && distortionWeight >= 0, "loss weights must be >= 0");
        check(densifyInterval > 0, "densifyInterval must be positive, got " + densifyInterval);
        check(percentDense > 0, "percentDense must be positive, got " + percentDense);
        check(sceneExtent >= 0, "sceneExtent must be >= 0 (0 = from the initial cloud), got " + sceneExtent);
        check(opacityResetInterval >= 0, "opacityResetInterval must be >= 0, got " + opacityResetInterval);
        check(maxSurfels > 0, "maxSurfels must be positive");
        check(near > 0 && far > near, "near/far must satisfy 0 < near < far");
    }

    /** The published Diff2DGS reconstruction code (3000 iterations, seed 6666): every default of {@link Builder}. */
    public static TrainOptions published() {
        return builder().build();
    }

    /**
     * Our default on the CPU: the published method on a third of its iterations (schedule scaled with them), a
     * surfel cap that keeps an iteration fast on two cores, and the differences from the published method that
     * measured better (docs/benchmarks/ablation.md); each is one named option.
     */
    public static TrainOptions cpu() {
        return builder().iterations(1000).densifyFrom(200).densifyUntil(1000).shIncreaseInterval(250)
                .normalFromIteration(400).checkpointInterval(250).maxSurfels(60_000)
                .with(CPU_DIFFERENCES).build();
    }

    /**
     * How {@link #cpu()} differs from the published method, beyond its shorter schedule: option name to value.
     * Each entry is one row of the ablation (releng/experiments/ablation.yaml).
     */
    public static final Map<String, Object> CPU_DIFFERENCES = Map.of("initRotation", "depth-normal");

    /** A preset by name: "published" or "cpu". */
    public static TrainOptions preset(String name) {
        return switch (name) {
            case "published" -> published();
            case "cpu" -> cpu();
            default -> throw new UserInputException("unknown preset '" + name + "' (cpu, published)");
        };
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        // the builder's fields carry the components' names, so the JSON of one is the other
        return Json.gson().fromJson(Json.gson().toJsonTree(this), Builder.class);
    }

    /** The same options with the named components changed (see RecordOverrides). */
    public TrainOptions with(Map<String, ?> overrides) {
        return RecordOverrides.apply(this, overrides, "training");
    }

    /** The size limit between clone and split, or NaN when it comes from the initial cloud (sceneExtent 0). */
    public double densifySizeLimit() {
        return sceneExtent > 0 ? percentDense * sceneExtent : Double.NaN;
    }

    /** Rejects values no run could use; called by the constructor. */
    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new UserInputException("training option " + message);
        }
    }

    /**
     * The defaults, each with where it comes from. "pub" cites the published Diff2DGS reconstruction code as read
     * for docs/reconstruction.md (which gives file and line).
     */
    public static final class Builder {
        /** pub: arguments/endonerf/default.py iterations = 3000. */
        private int iterations = 3000;
        /** pub: train.py setup_seed(6666). */
        private long seed = 6666;
        /** pub: train.py draws a training camera uniformly per iteration (randint). */
        private String frameOrder = "random";
        /** ours: checkpoints for resuming; no effect on results. */
        private int checkpointInterval = 500;
        /** pub: flexible_deform_model.py gaussian_deformation (17 Gaussian bases, 9 channels). */
        private String deformationModel = "gaussian-basis";
        /** pub: arguments sh_degree = 3, train.py oneupSHdegree every 500 iterations. */
        private int shDegree = 3;
        private int shIncreaseInterval = 500;
        /** pub: endo_loader.py get_sparse_pts keeps 10 % of all points at the end. */
        private double initSubsample = 0.1;
        /** pub: endo_loader.py search_pts_colors_with_motion keeps 10 % of each later frame's new points. */
        private double initLaterSubsample = 0.1;
        /** pub: flexible_deform_model.py create_from_pcd, torch.rand quaternions. */
        private String initRotation = "random";
        /** pub: create_from_pcd, inverse_sigmoid(0.1). */
        private double initOpacity = 0.1;
        /** pub: arguments position_lr_init 1.6e-4, _final 1.6e-6, default.py position_lr_max_steps 4000. */
        private double positionLrInit = 1.6e-4;
        private double positionLrFinal = 1.6e-6;
        private int positionLrSteps = 4000;
        /** pub: default.py deformation_lr_init 1.6e-4, _final 1.6e-6 (same decay length as positions). */
        private double deformationLrInit = 1.6e-4;
        private double deformationLrFinal = 1.6e-6;
        /** pub: spatial_lr_scale = camera_extent = 10 (default.py), multiplies position and deformation rates. */
        private double spatialScale = 10;
        /** ours: shared network weights (the mlp field) take this fraction of the per-surfel deformation rate. */
        private double sharedWeightLrFactor = 0.01;
        /** pub: feature_lr 2.5e-3 for the SH DC, feature_lr / 20 for the higher orders. */
        private double shLr = 2.5e-3;
        private double shRestLrFactor = 1.0 / 20;
        /** pub: opacity_lr, scaling_lr, rotation_lr. */
        private double opacityLr = 0.05;
        private double scalingLr = 5e-3;
        private double rotationLr = 1e-3;
        /** pub: torch.optim.Adam defaults, eps 1e-15. */
        private double adamBeta1 = 0.9;
        private double adamBeta2 = 0.999;
        private double adamEps = 1e-15;
        /** pub: densify/prune rebuild the tensors, so the optimizer step of that iteration updates nothing. */
        private boolean optimizerStepOnDensify = false;
        /** pub: loss = L1 + w * inverse-depth L1 (lambda_dssim, lambda_normal, lambda_dist defined but unused). */
        private double lambdaDssim = 0;
        private String depthWeighting = "adaptive";
        /** pub: depth_weight_init 10 (adaptive) ; with depthWeighting fixed this is the constant weight. */
        private double depthWeight = 10;
        /** pub: depth_weight_alpha 0.8, _beta 0.25, _min 1, _max 10. */
        private double depthWeightDecay = 0.8;
        private double depthWeightGain = 0.25;
        private double depthWeightMin = 1;
        private double depthWeightMax = 10;
        private double normalWeight = 0;
        private int normalFromIteration = 1000;
        private double distortionWeight = 0;
        private int distortionFromIteration = 3000;
        /** pub: trains unmasked on inpainted frames (frames that are not inpainted are always masked). */
        private boolean maskInstruments = false;
        /** pub: densify after iteration 500, every 100, while iteration < densify_until_iter (past the end). */
        private int densifyFrom = 500;
        private int densifyUntil = 3000;
        private int densifyInterval = 100;
        private double densifyGradThreshold = 2e-4;
        /** pub: percent_dense 0.01 x camera_extent 10: surfels larger than 0.1 are split, smaller ones cloned. */
        private double percentDense = 0.01;
        private double sceneExtent = 10;
        /** pub: opacity_reset_interval 3000, opacity threshold 0.005. */
        private int opacityResetInterval = 3000;
        private double pruneOpacity = 0.005;
        /**
         * pub: no cap. Ours: a cap the memory preflight can size the heap for; published runs on EndoNeRF-sized clips
         * stay far below it (75,507 surfels after 3000 iterations at 320x256, docs/benchmarks/cpu.md).
         */
        private int maxSurfels = 400_000;
        /** pub: cameras.py znear 0.03, zfar 250. */
        private double near = 0.03;
        private double far = 250;

        private Builder() {
        }

        public TrainOptions build() {
            return new TrainOptions(iterations, seed, frameOrder, checkpointInterval, deformationModel, shDegree,
                    shIncreaseInterval, initSubsample, initLaterSubsample, initRotation, initOpacity, positionLrInit,
                    positionLrFinal, positionLrSteps, deformationLrInit, deformationLrFinal, spatialScale,
                    sharedWeightLrFactor, shLr, shRestLrFactor, opacityLr, scalingLr, rotationLr, adamBeta1,
                    adamBeta2, adamEps, optimizerStepOnDensify, lambdaDssim, depthWeighting, depthWeight,
                    depthWeightDecay, depthWeightGain, depthWeightMin, depthWeightMax, normalWeight,
                    normalFromIteration, distortionWeight, distortionFromIteration, maskInstruments, densifyFrom,
                    densifyUntil, densifyInterval, densifyGradThreshold, percentDense, sceneExtent,
                    opacityResetInterval, pruneOpacity, maxSurfels, near, far);
        }

        /** Named changes, as {@link TrainOptions#with(Map)}. */
        public Builder with(Map<String, ?> overrides) {
            return build().with(overrides).toBuilder();
        }

        public Builder iterations(int v) {
            iterations = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder frameOrder(String v) {
            frameOrder = v;
            return this;
        }

        public Builder checkpointInterval(int v) {
            checkpointInterval = v;
            return this;
        }

        public Builder deformationModel(String v) {
            deformationModel = v;
            return this;
        }

        public Builder shDegree(int v) {
            shDegree = v;
            return this;
        }

        public Builder shIncreaseInterval(int v) {
            shIncreaseInterval = v;
            return this;
        }

        public Builder initSubsample(double v) {
            initSubsample = v;
            return this;
        }

        public Builder initLaterSubsample(double v) {
            initLaterSubsample = v;
            return this;
        }

        public Builder initRotation(String v) {
            initRotation = v;
            return this;
        }

        public Builder initOpacity(double v) {
            initOpacity = v;
            return this;
        }

        public Builder positionLrInit(double v) {
            positionLrInit = v;
            return this;
        }

        public Builder positionLrFinal(double v) {
            positionLrFinal = v;
            return this;
        }

        public Builder positionLrSteps(int v) {
            positionLrSteps = v;
            return this;
        }

        public Builder deformationLrInit(double v) {
            deformationLrInit = v;
            return this;
        }

        public Builder deformationLrFinal(double v) {
            deformationLrFinal = v;
            return this;
        }

        public Builder spatialScale(double v) {
            spatialScale = v;
            return this;
        }

        public Builder sharedWeightLrFactor(double v) {
            sharedWeightLrFactor = v;
            return this;
        }

        public Builder shLr(double v) {
            shLr = v;
            return this;
        }

        public Builder shRestLrFactor(double v) {
            shRestLrFactor = v;
            return this;
        }

        public Builder opacityLr(double v) {
            opacityLr = v;
            return this;
        }

        public Builder scalingLr(double v) {
            scalingLr = v;
            return this;
        }

        public Builder rotationLr(double v) {
            rotationLr = v;
            return this;
        }

        public Builder adamBeta1(double v) {
            adamBeta1 = v;
            return this;
        }

        public Builder adamBeta2(double v) {
            adamBeta2 = v;
            return this;
        }

        public Builder adamEps(double v) {
            adamEps = v;
            return this;
        }

        public Builder optimizerStepOnDensify(boolean v) {
            optimizerStepOnDensify = v;
            return this;
        }

        public Builder lambdaDssim(double v) {
            lambdaDssim = v;
            return this;
        }

        public Builder depthWeighting(String v) {
            depthWeighting = v;
            return this;
        }

        public Builder depthWeight(double v) {
            depthWeight = v;
            return this;
        }

        public Builder depthWeightDecay(double v) {
            depthWeightDecay = v;
            return this;
        }

        public Builder depthWeightGain(double v) {
            depthWeightGain = v;
            return this;
        }

        public Builder depthWeightMin(double v) {
            depthWeightMin = v;
            return this;
        }

        public Builder depthWeightMax(double v) {
            depthWeightMax = v;
            return this;
        }

        public Builder normalWeight(double v) {
            normalWeight = v;
            return this;
        }

        public Builder normalFromIteration(int v) {
            normalFromIteration = v;
            return this;
        }

        public Builder distortionWeight(double v) {
            distortionWeight = v;
            return this;
        }

        public Builder distortionFromIteration(int v) {
            distortionFromIteration = v;
            return this;
        }

        public Builder maskInstruments(boolean v) {
            maskInstruments = v;
            return this;
        }

        public Builder densifyFrom(int v) {
            densifyFrom = v;
            return this;
        }

        public Builder densifyUntil(int v) {
            densifyUntil = v;
            return this;
        }

        public Builder densifyInterval(int v) {
            densifyInterval = v;
            return this;
        }

        public Builder densifyGradThreshold(double v) {
            densifyGradThreshold = v;
            return this;
        }

        public Builder percentDense(double v) {
            percentDense = v;
            return this;
        }

        public Builder sceneExtent(double v) {
            sceneExtent = v;
            return this;
        }

        public Builder opacityResetInterval(int v) {
            opacityResetInterval = v;
            return this;
        }

        public Builder pruneOpacity(double v) {
            pruneOpacity = v;
            return this;
        }

        public Builder maxSurfels(int v) {
            maxSurfels = v;
            return this;
        }

        public Builder near(double v) {
            near = v;
            return this;
        }

        public Builder far(double v) {
            far = v;
            return this;
        }
    }
}
