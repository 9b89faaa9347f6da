package org.diff2dgs.train.api;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * What training will actually use, after every scaling: the learning rates times the spatial scale, the SH rates of
 * the DC and higher-order terms, the loss weights as they enter the total loss, the densification window as the
 * iterations it acts on and the clone/split size limit. {@code d2dgs config} prints it; every run records it in
 * run.json and train/result.json. Numbers are rounded to 10 significant digits (1.6e-4 x 10 is not exactly 1.6e-3
 * in binary).
 *
 * @param iterations      optimization steps
 * @param seed            training seed
 * @param frameOrder      "random" (a uniform draw per iteration) or "epochs"
 * @param deformationModel deformation model name
 * @param lr              learning rates
 * @param loss            weights of the loss terms
 * @param densify         adaptive density control
 * @param sh              spherical-harmonics schedule
 * @param init            initial surfels
 * @param render          near and far plane of training and evaluation renders
 * @param maskInstruments instrument pixels are excluded even from inpainted frames (frames that are not inpainted
 *                        are always masked)
 */
public record EffectiveConfig(int iterations, long seed, String frameOrder, String deformationModel, Rates lr,
        Losses loss, Densify densify, Sh sh, Init init, Render render, boolean maskInstruments) {

    /** An exponential decay from start to end over steps (constant after). */
    public record Decay(double start, double end, int steps) {
    }

    /**
     * @param deformationShared rate of shared deformation weights (the mlp model) at the start
     * @param stepOnDensify     whether the optimizer steps on iterations where density control rebuilt the tensors
     */
    public record Rates(Decay position, Decay deformation, double deformationShared, double shDc, double shRest,
            double opacity, double scale, double rotation, double adamBeta1, double adamBeta2, double adamEps,
            boolean stepOnDensify) {
    }

    /**
     * @param l1         weight of the colour L1
     * @param dssim      weight of D-SSIM
     * @param depth      "adaptive" or the constant weight of the inverse-depth L1 (0 = off)
     * @param depthRule  the adaptive rule, w = clip(initial (1 - decay it/T)(1 + gain tanh(L_rgb/L_depth - 1)), min,
     *                   max), or null
     * @param normal     weight of 2DGS normal consistency, from iteration normalFrom
     * @param distortion weight of 2DGS depth distortion, from iteration distortionFrom
     */
    public record Losses(double l1, double dssim, Object depth, AdaptiveDepth depthRule, double normal,
            int normalFrom, double distortion, int distortionFrom) {
    }

    public record AdaptiveDepth(double initial, double decay, double gain, double min, double max) {
    }

    /**
     * @param from              densification acts after this iteration
     * @param until             and before this one
     * @param every             at multiples of this
     * @param first             first iteration it acts on (null when none)
     * @param last              last iteration it acts on (null when none)
     * @param gradThreshold     mean screen-space gradient above which surfels are cloned or split
     * @param sizeLimit         surfels larger than this are split, smaller ones cloned: a number, or the rule when it
     *                          depends on the initial cloud
     * @param pruneOpacity      surfels below this opacity are pruned
     * @param opacityResetEvery iterations between opacity resets (0 = never)
     * @param maxSurfels        growth cap, or "none"
     */
    public record Densify(int from, int until, int every, Integer first, Integer last, double gradThreshold,
            Object sizeLimit, double pruneOpacity, int opacityResetEvery, Object maxSurfels) {
    }

    public record Sh(int degree, int increaseEvery) {
    }

    public record Init(double subsample, double laterSubsample, String rotation, double opacity) {
    }

    public record Render(double near, double far) {
    }

    public static EffectiveConfig of(TrainOptions o) {
        double s = o.spatialScale();
        Decay position = new Decay(round(o.positionLrInit() * s), round(o.positionLrFinal() * s), o.positionLrSteps());
        Decay deformation = new Decay(round(o.deformationLrInit() * s), round(o.deformationLrFinal() * s),
                o.positionLrSteps());
        Rates lr = new Rates(position, deformation, round(o.deformationLrInit() * s * o.sharedWeightLrFactor()),
                round(o.shLr()), round(o.shLr() * o.shRestLrFactor()), round(o.opacityLr()), round(o.scalingLr()),
                round(o.rotationLr()), o.adamBeta1(), o.adamBeta2(), o.adamEps(), o.optimizerStepOnDensify());
        Object depth = switch (o.depthWeighting()) {
            case "adaptive" -> "adaptive";
            case "fixed" -> round(o.depthWeight());
            default -> 0.0;
        };
        AdaptiveDepth rule = o.depthWeighting().equals("adaptive") ? new AdaptiveDepth(o.depthWeight(),
                o.depthWeightDecay(), o.depthWeightGain(), o.depthWeightMin(), o.depthWeightMax()) : null;
        Losses loss = new Losses(round(1 - o.lambdaDssim()), round(o.lambdaDssim()), depth, rule, o.normalWeight(),
                o.normalFromIteration(), o.distortionWeight(), o.distortionFromIteration());
        int end = Math.min(o.densifyUntil(), o.iterations());
        int first = (o.densifyFrom() / o.densifyInterval() + 1) * o.densifyInterval();
        int last = (end - 1) / o.densifyInterval() * o.densifyInterval();
        boolean any = first <= last && last > o.densifyFrom();
        Object sizeLimit = o.sceneExtent() > 0 ? (Object) round(o.densifySizeLimit())
                : o.percentDense() + " x extent of the initial cloud";
        Densify densify = new Densify(o.densifyFrom(), o.densifyUntil(), o.densifyInterval(), any ? first : null,
                any ? last : null, o.densifyGradThreshold(), sizeLimit, o.pruneOpacity(), o.opacityResetInterval(),
                o.maxSurfels() == Integer.MAX_VALUE ? "none" : (Object) o.maxSurfels());
        return new EffectiveConfig(o.iterations(), o.seed(), o.frameOrder(), o.deformationModel(), lr, loss, densify,
                new Sh(o.shDegree(), o.shIncreaseInterval()),
                new Init(o.initSubsample(), o.initLaterSubsample(), o.initRotation(), o.initOpacity()),
                new Render(o.near(), o.far()), o.maskInstruments());
    }

    private static double round(double v) {
        return new BigDecimal(v).round(new MathContext(10)).doubleValue();
    }
}
