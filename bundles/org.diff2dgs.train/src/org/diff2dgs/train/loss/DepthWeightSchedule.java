package org.diff2dgs.train.loss;

/**
 * The weight of the depth loss per iteration, as the public Diff2DGS training script chooses it. It is a number, not
 * part of the graph: no gradient flows through it.
 *
 * <ul>
 * <li>{@link Strategy#FIXED}: a constant.</li>
 * <li>{@link Strategy#ADAPTIVE_RATIO} (the default there): w = clip(w0 * (1 - alpha * it/T) * (1 + beta * tanh(L_rgb /
 * L_depth - 1)), min, max) with w0 = 10, alpha = 0.8, beta = 0.25, min 1, max 10: a linear decay that leans towards
 * depth while colour is the larger error. When the depth loss is 0 the gain is 1.</li>
 * <li>{@link Strategy#ADAPTIVE_RATIO_EMA}: the ratio smoothed with an exponential moving average and fed through its
 * log instead of ratio - 1.</li>
 * <li>{@link Strategy#ADAPTIVE_RATIO_WARMUP}: the adaptive weight ramped up from min over the first warm-up fraction of
 * the run.</li>
 * </ul>
 * The EMA variant keeps state; one instance per training run.
 */
public final class DepthWeightSchedule {

    public enum Strategy {
        FIXED, ADAPTIVE_RATIO, ADAPTIVE_RATIO_EMA, ADAPTIVE_RATIO_WARMUP
    }

    /**
     * @param strategy      which rule
     * @param fixedWeight   the weight of {@link Strategy#FIXED}
     * @param initialWeight w0
     * @param alpha         linear decay over the run
     * @param beta          strength of the loss-ratio gain
     * @param minWeight     lower clip
     * @param maxWeight     upper clip
     * @param emaDecay      for {@link Strategy#ADAPTIVE_RATIO_EMA}
     * @param warmupRatio   for {@link Strategy#ADAPTIVE_RATIO_WARMUP}, a fraction of the run
     */
    public record Options(Strategy strategy, double fixedWeight, double initialWeight, double alpha, double beta,
            double minWeight, double maxWeight, double emaDecay, double warmupRatio) {

        public Options {
            if (strategy == null) {
                throw new IllegalArgumentException("depth weight strategy is missing");
            }
            if (!(minWeight <= maxWeight)) {
                throw new IllegalArgumentException("depth weight min " + minWeight + " exceeds max " + maxWeight);
            }
        }

        /** The public Diff2DGS defaults (adaptive ratio). */
        public static Options diff2dgs() {
            return new Options(Strategy.ADAPTIVE_RATIO, 1.0, 10.0, 0.8, 0.25, 1.0, 10.0, 0.95, 0.0);
        }

        public static Options fixed(double weight) {
            return new Options(Strategy.FIXED, weight, 10.0, 0.8, 0.25, 1.0, 10.0, 0.95, 0.0);
        }
    }

    private final Options options;
    private double ratioEma = Double.NaN;

    public DepthWeightSchedule(Options options) {
        this.options = options;
    }

    public Options options() {
        return options;
    }

    /**
     * The weight at {@code iteration} (1-based as in the public script) of {@code totalIterations}, given this
     * iteration's unweighted colour L1 and depth loss values.
     */
    public double weight(int iteration, int totalIterations, double rgbLoss, double depthLoss) {
        Options o = options;
        if (o.strategy() == Strategy.FIXED) {
            return o.fixedWeight();
        }
        double progress = Math.min((double) iteration / totalIterations, 1.0);
        double base = o.initialWeight() * (1.0 - o.alpha() * progress);
        double gain = 1.0;
        if (depthLoss > 0) {
            double ratio = rgbLoss / (depthLoss + 1e-8);
            double signal;
            if (o.strategy() == Strategy.ADAPTIVE_RATIO_EMA) {
                ratioEma = Double.isNaN(ratioEma) ? ratio : o.emaDecay() * ratioEma + (1 - o.emaDecay()) * ratio;
                signal = Math.log(Math.max(ratioEma, 1e-8));
            } else {
                signal = ratio - 1.0;
            }
            gain = 1.0 + o.beta() * Math.tanh(signal);
        }
        double w = clip(base * gain, o.minWeight(), o.maxWeight());
        if (o.strategy() == Strategy.ADAPTIVE_RATIO_WARMUP && o.warmupRatio() > 0) {
            double ramp = Math.min(progress / o.warmupRatio(), 1.0);
            w = o.minWeight() + ramp * (w - o.minWeight());
        }
        return clip(w, o.minWeight(), o.maxWeight());
    }

    /** The smoothed loss ratio of the EMA strategy (NaN before the first update), for checkpoints. */
    public double ratioEma() {
        return ratioEma;
    }

    public void restoreRatioEma(double value) {
        this.ratioEma = value;
    }

    private static double clip(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
